// The parts of Apache ECharts that the explorer (report-templates/explorer/)
// uses, registered on echarts/core. The bundle (build.mjs) is an IIFE that
// defines the global `echarts`, holding the whole echarts/core API as the
// full dist file did. Add a chart, component or feature here before the
// page uses it, then run tools/vendor_echarts.sh.
import * as echarts from 'echarts/core';
import { BarChart, LineChart, ScatterChart, CustomChart } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  TooltipComponent,
  TitleComponent,
  MarkLineComponent,
  MarkAreaComponent,
  MarkPointComponent,
  AriaComponent,
} from 'echarts/components';
import { LabelLayout } from 'echarts/features';
import { SVGRenderer } from 'echarts/renderers';

// In the order of the full build (echarts/index.js), so that elements
// of equal z are drawn in the same order as there.
echarts.use([
  SVGRenderer,
  LineChart,
  BarChart,
  ScatterChart,
  CustomChart,
  GridComponent,
  TooltipComponent,
  TitleComponent,
  MarkPointComponent,
  MarkLineComponent,
  MarkAreaComponent,
  LegendComponent,
  AriaComponent,
  LabelLayout,
]);

export * from 'echarts/core';
