// Bundles entry.js into one minified IIFE that defines the global `echarts`
// (tools/vendor_echarts.sh runs this after `npm ci --ignore-scripts`).
//
//   node build.mjs OUTFILE
//
// The header names what is inside and where the licences are; esbuild keeps
// the libraries' own legal comments (zrender's, tslib's) where they stand.
import { readFileSync } from 'node:fs';
import { build, version } from 'esbuild';

const out = process.argv[2];
if (!out) throw new Error('usage: node build.mjs OUTFILE');
const echartsVersion = JSON.parse(readFileSync('node_modules/echarts/package.json', 'utf8')).version;
const header = readFileSync('header.js', 'utf8')
  .replace('{{ECHARTS}}', echartsVersion)
  .replace('{{ESBUILD}}', version)
  .trimEnd();

await build({
  entryPoints: ['entry.js'],
  outfile: out,
  bundle: true,
  minify: true,
  format: 'iife',
  globalName: 'echarts',
  platform: 'browser',
  target: 'es2020',
  charset: 'utf8',
  legalComments: 'inline',
  banner: { js: header },
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'warning',
});
