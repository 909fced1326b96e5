// The plain text of an mdast node: inline Markdown reduced to its text (backticks, emphasis and link
// syntax removed). Pure. Iterative, so deeply nested input cannot overflow the stack.
import type { Nodes } from 'mdast';

/** Concatenates the text of a node and its descendants (image alt text included, breaks as spaces). */
export function toPlainText(node: Nodes): string {
  let out = '';
  const stack: Nodes[] = [node];
  while (stack.length > 0) {
    const current = stack.pop()!;
    if (current.type === 'break') out += ' ';
    else if (current.type === 'image' || current.type === 'imageReference') out += current.alt ?? '';
    else if ('value' in current && typeof current.value === 'string') out += current.value;
    else if ('children' in current) {
      const children = current.children as Nodes[];
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
    }
  }
  return out;
}
