/** Why dist/ must be built before `npm start` runs it (`dist/ missing`, `src changed`, …), or undefined when fresh. */
export function staleReason(root?: string): string | undefined;
