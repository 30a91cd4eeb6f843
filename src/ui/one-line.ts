/**
 * Making text from commands and plans safe to print as one line of a
 * reporter's output, on a terminal or in a log.
 */

/**
 * Text made safe for one line of the tree or of a log: what a
 * terminal would leave after carriage returns, escape sequences removed
 * (colour, cursor moves), other control characters as spaces. A cursor move
 * inside the tree would break Ink's count of the lines it has to redraw.
 */
export function oneLine(text: string): string {
  const last = text.split('\n')[0]!.split('\r').filter((part) => part !== '').at(-1) ?? '';
  return (
    last
      // CSI and OSC sequences, then any other escape.
      .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '')
      .replace(/\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)/g, '')
      .replace(/\u001b[@-_]?/g, '')
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ')
  );
}
