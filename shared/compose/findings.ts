// The path-addressed problems each stage reports before they become SpecIssues with a file name.

export type PathSegment = string | number;

export interface Finding {
  readonly path: readonly PathSegment[];
  readonly message: string;
}

/** Errors stop a deploy; warnings are printed and the deploy goes ahead. */
export interface Findings {
  readonly errors: Finding[];
  readonly warnings: Finding[];
}

export function emptyFindings(): Findings {
  return { errors: [], warnings: [] };
}

export function mergeFindings(into: Findings, from: Findings): void {
  into.errors.push(...from.errors);
  into.warnings.push(...from.warnings);
}
