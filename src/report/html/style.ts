/** The report's one stylesheet, inline: system fonts only, tables that wrap, print that paginates. */
export const STYLE = `
:root { --fg: #1d232a; --muted: #5f6b76; --line: #dde2e6; --error: #b42318; --warning: #a15c07; --info: #175cd3; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: #fff; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 10px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 15px; margin: 12px 0 6px; }
.meta, .note, small { color: var(--muted); }
.note { font-size: 12px; }
.kpis { display: flex; flex-wrap: wrap; gap: 12px; margin-top: 14px; }
.kpi { border: 1px solid var(--line); border-radius: 6px; padding: 8px 14px; }
.kpi > span { display: block; font-size: 12px; color: var(--muted); }
.kpi b { font-size: 18px; }
.badge { display: inline-block; font-size: 12px; font-weight: 600; border-radius: 10px; padding: 1px 8px; color: #fff; white-space: nowrap; }
.badge.error { background: var(--error); } .badge.warning { background: var(--warning); } .badge.info { background: var(--info); }
.status { border-left: 4px solid var(--line); padding: 2px 14px; margin: 8px 0; }
.status.error { border-color: var(--error); } .status.warning { border-color: var(--warning); } .status.info { border-color: var(--info); }
.status ul { margin: 4px 0 8px; padding-left: 18px; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(520px, 1fr)); gap: 18px; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; min-width: 0; }
figure.chart figcaption { font-weight: 600; margin-bottom: 6px; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
.table { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { text-align: left; vertical-align: top; padding: 4px 8px; border-bottom: 1px solid var(--line); overflow-wrap: break-word; }
th { background: #f5f7f9; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; overflow-wrap: normal; }
tfoot td { border-top: 2px solid var(--fg); }
@media (max-width: 1100px) { .charts { grid-template-columns: 1fr; } }
@media print {
  @page { size: A4; margin: 14mm; }
  body { font-size: 11px; }
  main { max-width: none; padding: 0; }
  .charts { display: block; }
  figure.chart { break-inside: avoid; margin-bottom: 10px; }
  h2 { break-after: avoid; }
  thead { display: table-header-group; }
  tr { break-inside: avoid; }
  .table { overflow: visible; }
}
`;
