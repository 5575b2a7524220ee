/** The bundle's entry module, inside its folder. */
export const BUNDLE_ENTRY: string;
/** The list of files the bundle was built from, inside its folder. */
export const BUNDLE_INPUTS: string;
/** The bundle's entry if every file it was built from is unchanged since; undefined otherwise. */
export function freshBundle(root: string, folder?: string): string | undefined;
