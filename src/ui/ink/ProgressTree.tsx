/**
 * The live tree as an Ink component: a header with overall progress, then the
 * rows chosen by the layout for the terminal's height, each cut to one line so
 * that the frame's height is exactly what the layout counted.
 */
import { Box, Text } from 'ink';
import type { Style } from '../../plan/render/style.js';
import type { ProgressModel } from '../progress-model.js';
import { layoutTree } from '../tree-layout.js';
import { headerText, rowText } from '../tree-text.js';

export interface ProgressTreeProps {
  model: ProgressModel;
  title: string;
  /** The moment drawn: elapsed times and the spinner frame come from it. */
  now: number;
  /** Terminal size. */
  rows: number;
  columns: number;
  style: Style;
}

/** Lines the tree leaves free: Ink's cursor line, and one spare so a frame never fills the screen. */
export const RESERVED_LINES = 2;

/** The tree: never taller than `rows - RESERVED_LINES`. */
export function ProgressTree({ model, title, now, rows, columns, style }: ProgressTreeProps) {
  const budget = Math.max(1, rows - RESERVED_LINES - 1);
  const lines = layoutTree(model, budget, now);
  return (
    <Box flexDirection="column" width={columns}>
      <Text wrap="truncate-end">{headerText(model, title, now, columns, style)}</Text>
      {lines.map((row, i) => (
        <Text key={i} wrap="truncate-end">
          {rowText(row, now, style)}
        </Text>
      ))}
    </Box>
  );
}
