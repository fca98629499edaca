/** The console's stylesheet (inlined by the bundle: one request, no build step for CSS). */
export const CSS = `
:root { color-scheme: dark; --bg: #0f1420; --panel: #171d2b; --line: #2a3140; --text: #e6e9ef; --muted: #8a93a3; --accent: #4c8bf5; --ok: #3ecf8e; --warn: #c9a227; --bad: #e5534b; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, 'Segoe UI', sans-serif; background: var(--bg); color: var(--text); }
a { color: var(--accent); text-decoration: none; } a:hover { text-decoration: underline; }
header { display: flex; align-items: center; gap: 8px; padding: 10px 16px; border-bottom: 1px solid var(--line); background: var(--panel); }
.brand { font-weight: 700; color: var(--text); }
.layout { display: grid; grid-template-columns: 240px 1fr; min-height: calc(100vh - 260px); }
.sidebar { border-right: 1px solid var(--line); padding: 12px; }
main { padding: 12px 20px; min-width: 0; }
h2 { margin: 4px 0 12px; font-size: 20px; } h3 { margin: 16px 0 8px; font-size: 14px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
section { margin-bottom: 8px; }
.list { list-style: none; padding: 0; margin: 0 0 12px; } .list li { display: flex; justify-content: space-between; padding: 4px 6px; border-radius: 4px; }
.list li.active { background: #22304a; }
.badge { font-size: 11px; padding: 0 6px; border-radius: 8px; background: #2a3140; color: var(--muted); }
.badge.public-read, .badge.public-read-write { color: var(--ok); }
.state { font-size: 12px; padding: 2px 8px; border-radius: 10px; font-weight: 600; }
.state.live { background: #123d2a; color: var(--ok); } .state.idle { background: #2a3140; color: var(--muted); } .state.disabled { background: #40201e; color: var(--bad); }
table { border-collapse: collapse; width: 100%; font-size: 13px; } th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { color: var(--muted); font-weight: 500; }
input, select, button { font: inherit; color: var(--text); background: #0b1019; border: 1px solid var(--line); border-radius: 4px; padding: 4px 8px; }
button { background: #22304a; cursor: pointer; } button:hover { background: #2c3d5e; } button.danger { color: var(--bad); }
button.small, .small { font-size: 12px; } .small-link { font-size: 13px; font-weight: 400; }
.stack { display: flex; flex-direction: column; gap: 6px; }
.row { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; margin: 4px 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 8px; align-items: end; }
.field { display: flex; flex-direction: column; gap: 2px; } .field span { color: var(--muted); font-size: 12px; }
.actions { display: flex; gap: 6px; }
.muted { color: var(--muted); } .mono { font-family: ui-monospace, 'SFMono-Regular', Menlo, monospace; font-size: 12px; }
pre { background: #0b1019; padding: 8px; border-radius: 4px; overflow: auto; }
.columns { display: grid; grid-template-columns: minmax(0, 1.2fr) minmax(0, 1fr); gap: 20px; }
.player video { width: 100%; aspect-ratio: 16 / 9; background: #000; border-radius: 4px; }
.stat dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 12px; margin: 8px 0; } .stat dt { color: var(--muted); }
.warning { color: var(--warn); margin: 6px 0; }
.chart { width: 100%; height: 160px; background: #0b1019; border-radius: 4px; }
.legend { text-transform: none; letter-spacing: 0; font-weight: 400; } .legend i { display: inline-block; width: 14px; height: 8px; margin: 0 4px 0 10px; }
.legend .bar { background: rgba(76, 139, 245, .55); } .legend .line { background: var(--ok); height: 2px; } .legend .dash { border-top: 2px dashed var(--warn); height: 0; }
.timeline { position: relative; height: 22px; background: #0b1019; border-radius: 4px; margin: 6px 0; }
.timeline i { position: absolute; top: 3px; bottom: 3px; border-radius: 2px; }
.timeline .p0 { background: #4c8bf5; } .timeline .p1 { background: #3ecf8e; } .timeline .p2 { background: #c9a227; } .timeline .p3 { background: #b072d1; }
.copy-field { margin: 4px 0; } .copy-field label { color: var(--muted); font-size: 12px; } .copy-field input { flex: 1; min-width: 0; }
.settings { margin: 8px 0; padding-left: 18px; color: var(--muted); } .settings b { color: var(--text); }
.requests { border-top: 1px solid var(--line); padding: 0 16px 12px; background: var(--panel); }
.scroll { max-height: 200px; overflow: auto; } .scroll.short { max-height: 260px; }
tr.failed td { color: #f0a8a3; }
.toast { margin-left: auto; opacity: 0; transition: opacity .2s; padding: 2px 10px; border-radius: 4px; background: #123d2a; }
.toast.show { opacity: 1; } .toast.error { background: #40201e; }
@media (max-width: 900px) { .layout, .columns { grid-template-columns: 1fr; } }
`;
