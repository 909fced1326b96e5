// A surgical edit of a text: replace [start, end) with `text`. Offsets are 0-based string indices.
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}
