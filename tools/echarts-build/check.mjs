// A smoke test of the bundle without a browser (tools/vendor_echarts.sh):
// run as a classic script it defines the global `echarts`, and it draws a
// chart of each registered kind to SVG (ECharts' server-side mode).
//
//   node check.mjs BUNDLE
import { readFileSync } from 'node:fs';
import vm from 'node:vm';

const file = process.argv[2];
if (!file) throw new Error('usage: node check.mjs BUNDLE');
const context = vm.createContext({ setTimeout, clearTimeout, console });
vm.runInContext(readFileSync(file, 'utf8'), context, { filename: file });
const { echarts } = context;
for (const name of ['init', 'use', 'dispose', 'getInstanceByDom']) {
  if (typeof echarts?.[name] !== 'function') throw new Error(`the bundle defines no echarts.${name}`);
}
const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: 600, height: 300 });
chart.setOption({
  animation: false,
  aria: { enabled: true },
  title: { text: 'T' },
  legend: { top: 0 },
  tooltip: {},
  xAxis: { type: 'category', data: ['A', 'B', 'C'] },
  yAxis: { type: 'value', min: 0, max: 100 },
  series: [
    {
      name: 'bar', type: 'bar', itemStyle: { color: '#a1a1a1' }, data: [10, 20, null], label: { show: true, position: 'top' },
      markLine: { data: [{ yAxis: 50 }] }, markArea: { data: [[{ yAxis: 10 }, { yAxis: 20 }]] },
      markPoint: { data: [{ type: 'max' }] },
    },
    { name: 'line', type: 'line', color: '#b2b2b2', lineStyle: { type: 'dashed' }, data: [30, 40, 50] },
    { name: 'scatter', type: 'scatter', itemStyle: { color: '#c3c3c3' }, data: [5, 6, 7] },
    {
      name: 'custom', type: 'custom', data: [[0, 60]],
      renderItem: (_, api) => {
        const [x, y] = api.coord([api.value(0), api.value(1)]);
        return { type: 'rect', shape: { x, y, width: 6, height: 6 }, style: { fill: '#123456' } };
      },
    },
  ],
});
// An option whose component is not registered is dropped silently.
const model = chart.getModel();
for (const type of ['grid', 'title', 'legend', 'tooltip', 'markPoint', 'markLine', 'markArea']) {
  if (!model.getComponent(type)) throw new Error(`the bundle has no ${type} component`);
}
// The aria component has no model of its own: its visual fills in the label's defaults.
if (!model.getModel('aria').get(['label', 'general'])) throw new Error('the bundle has no aria component');
const svg = chart.renderToSVGString();
chart.dispose();
const count = (re) => (svg.match(re) || []).length;
const want = [
  ['the SVG root', /^<svg[^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/],
  ['the title', />T<\/text>/],
  ['the legend and axis labels', />scatter<\/text>[\s\S]*>A<\/text>|>A<\/text>[\s\S]*>scatter<\/text>/],
  ['the bar label', />20<\/text>/],
  ['the bars', /<path d="M[^"]*" fill="#a1a1a1"/],
  ['the dashed line', /stroke="#b2b2b2"[^>]*stroke-dasharray/],
  ['the scatter points', /<path d="M[^"]*"[^>]*fill="#c3c3c3"/],
  ['the custom series', /fill="#123456"/],
];
for (const [what, re] of want) if (!re.test(svg)) throw new Error(`the bundle did not draw ${what}`);
console.log(`echarts ${echarts.version}: ${count(/<path/g)} paths, ${count(/<text/g)} texts in ${svg.length} bytes of SVG`);
