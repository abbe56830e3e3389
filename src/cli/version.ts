/** The tool version recorded in archives and evidence. Kept in step with package.json. */
export const VERSION = '0.1.0';
