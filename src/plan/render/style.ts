/** Text styling handed to renderers by the CLI; the plain style adds nothing. */
export interface Style {
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
  magenta(text: string): string;
}

const same = (text: string) => text;

/** No colour, no emphasis: for pipes, files, NO_COLOR and --no-color. */
export const plainStyle: Style = { bold: same, dim: same, green: same, red: same, yellow: same, cyan: same, magenta: same };

const sgr = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

/** ANSI colours for terminals. */
export const ansiStyle: Style = {
  bold: sgr(1, 22),
  dim: sgr(2, 22),
  green: sgr(32, 39),
  red: sgr(31, 39),
  yellow: sgr(33, 39),
  cyan: sgr(36, 39),
  magenta: sgr(35, 39),
};
