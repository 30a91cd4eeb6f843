/**
 * The live tree as an Ink component: a header with overall progress, then the
 * rows chosen by the layout for the terminal's height, each cut to one line so
 * that the frame's height is exactly what the layout counted. The lines come
 * from tree-frame.ts, which also paints the first frame before Ink has loaded.
 */
import { Box, Text } from 'ink';
import { frameTexts, RESERVED_LINES, type TreeFrameProps } from '../tree-frame.js';

export type ProgressTreeProps = TreeFrameProps;
export { RESERVED_LINES };

/** The tree: never taller than `rows - RESERVED_LINES`. */
export function ProgressTree(props: ProgressTreeProps) {
  const [header, ...rows] = frameTexts(props);
  return (
    <Box flexDirection="column" width={props.columns}>
      <Text wrap="truncate-end">{header}</Text>
      {rows.map((text, i) => (
        <Text key={i} wrap="truncate-end">
          {text}
        </Text>
      ))}
    </Box>
  );
}
