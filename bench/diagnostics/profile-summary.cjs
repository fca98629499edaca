// Summarizes a V8 .cpuprofile (node --cpu-prof): top self time, top inclusive time, and optionally the call paths of
// one function or the inclusive time per npm package. V8 samples on wall-clock ticks, so a main thread blocked in a
// synchronous syscall (unlinkSync, writev) shows up as that native frame.
//   node bench/diagnostics/profile-summary.cjs FILE.cpuprofile [--top N] [--callers FUNCTION] [--packages]
const fs = require('node:fs');

const args = process.argv.slice(2);
const file = args[0];
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const topN = Number(option('--top') ?? 30);
const profile = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const label = (n) =>
  `${n.callFrame.functionName || '(anonymous)'} ${n.callFrame.url.replace(/.*\/(src|dist|node_modules|bench)\//, '$1/')}:${n.callFrame.lineNumber + 1}`;
const stackOf = (id) => {
  const stack = [];
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) stack.push(byId.get(cur));
  return stack;
};

const timeByNode = new Map();
let total = 0;
profile.samples.forEach((id, i) => {
  const dt = profile.timeDeltas[i] ?? 0;
  total += dt;
  timeByNode.set(id, (timeByNode.get(id) ?? 0) + dt);
});
const self = new Map();
const inclusive = new Map();
for (const [id, dt] of timeByNode) {
  const stack = stackOf(id);
  self.set(label(stack[0]), (self.get(label(stack[0])) ?? 0) + dt);
  for (const name of new Set(stack.map(label))) inclusive.set(name, (inclusive.get(name) ?? 0) + dt);
}
const print = (title, map) => {
  console.log(`--- ${title}`);
  for (const [name, dt] of [...map].sort((a, b) => b[1] - a[1]).slice(0, topN)) {
    console.log(`${((100 * dt) / total).toFixed(1).padStart(5)} %  ${(dt / 1e6).toFixed(2).padStart(7)} s  ${name}`);
  }
};
console.log(`${file}: ${(total / 1e6).toFixed(2)} s sampled`);
print('self time', self);
print('inclusive time', inclusive);

const target = option('--callers');
if (target) {
  const paths = new Map();
  for (const [id, dt] of timeByNode) {
    const stack = stackOf(id);
    const at = stack.findIndex((n) => n.callFrame.functionName === target);
    if (at >= 0) {
      const path = stack
        .slice(at, at + 4)
        .map(label)
        .join(' <- ');
      paths.set(path, (paths.get(path) ?? 0) + dt);
    }
  }
  print(`${target}: call paths`, paths);
}

if (args.includes('--packages')) {
  const packageOf = (url) => /node_modules\/((@[^/]+\/)?[^/]+)/.exec(url)?.[1] ?? (/\/(src|dist)\//.test(url) ? 'emulator' : undefined);
  const byPackage = new Map();
  for (const [id, dt] of timeByNode) {
    for (const pkg of new Set(
      stackOf(id)
        .map((n) => packageOf(n.callFrame.url))
        .filter(Boolean),
    )) {
      byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + dt);
    }
  }
  print('inclusive time by package (a package nested in another counts in both)', byPackage);
}
