// For this repository's own tests and benchmarks only: not exported by the package (index.ts), not documented for
// users, free to change. A user's test reads the emulator through `emu.state`, `emu.waitFor…`, `emu.clock`, `emu.faults`.
// Reach for these only to check what the public view cannot show (store rows, open publish records, the live registry)
// or to stage what no client can (a fake live publish, a failing disk).
export { internalsOf, startInstrumentedEmulator, type EmulatorInternals, type EmulatorProbes, type Services } from '../emulator.js';
