/** Stat and info fields are integers on the wire; NaN/Infinity from an empty meter become 0. */
export const int = (n: number): number => (Number.isFinite(n) ? Math.round(n) : 0);
