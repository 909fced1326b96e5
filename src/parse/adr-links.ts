// Cross-file ADR rules: ids used by more than one file, supersession links to ids no ADR has, and
// links to an id several files share. Pure; runs on already-parsed ADRs (see parseAdr), so it never
// reads a file. All are warnings: two branches that each added an ADR 20 are both mirrored (the rows
// are keyed by path), and a link to a decision outside the repository is not wrong.
import type { Adr } from '../model/adr.js';
import type { Diagnostic, Span } from '../model/diagnostic.js';

const FILE_START: Span = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };

/** What the cross-file ADR rules need of one ADR (a parsed Adr has it all). */
export type AdrLinkSubject = Pick<Adr, 'path' | 'id'> &
  Partial<Pick<Adr, 'links' | 'supersedes' | 'supersededBy' | 'idSpan' | 'titleHeading' | 'statusSpan' | 'frontmatter'>>;

/**
 * Reports ids used by several ADRs (`adr-id-duplicate`, on each, naming the others), links to ids no
 * ADR has (`adr-supersedes-unknown`) and links to a shared id (`adr-reference-ambiguous`).
 */
export function checkAdrLinks(adrs: readonly AdrLinkSubject[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const byId = new Map<string, AdrLinkSubject[]>();
  for (const adr of adrs) byId.set(adr.id, [...(byId.get(adr.id) ?? []), adr]);

  for (const [id, holders] of byId) {
    if (holders.length < 2) continue;
    for (const adr of holders) {
      const others = holders.filter((h) => h !== adr).map((h) => h.path);
      diagnostics.push({
        path: adr.path,
        span: adr.idSpan ?? adr.titleHeading?.span ?? FILE_START,
        severity: 'warning',
        ruleId: 'adr-id-duplicate',
        message: `ADR id ${id} is also used by ${others.join(', ')}; both are mirrored (by path), and links to ${id} are ambiguous`,
        hint: 'Give each ADR its own number: rename one file (and its title number or frontmatter id).',
      });
    }
  }

  for (const adr of adrs) {
    const links = adr.links ?? [
      ...(adr.supersedes ?? []).map((target) => ({ relation: 'supersedes' as const, target, span: undefined })),
      ...(adr.supersededBy ?? []).map((target) => ({ relation: 'superseded-by' as const, target, span: undefined })),
    ];
    for (const link of links) {
      const holders = byId.get(link.target);
      const verb = link.relation === 'supersedes' ? 'supersedes' : 'is superseded by';
      const span = link.span ?? adr.statusSpan ?? adr.frontmatter?.span ?? FILE_START;
      if (holders && holders.length > 1) {
        diagnostics.push({
          path: adr.path,
          span,
          severity: 'warning',
          ruleId: 'adr-reference-ambiguous',
          message: `${adr.id} ${verb} ${link.target}, which ${holders.length} files share: ${holders.map((h) => h.path).join(', ')}`,
          hint: 'Renumber one of those ADRs, then link to the one you mean by its file name.',
        });
      } else if (!holders) {
        diagnostics.push({
          path: adr.path,
          span,
          severity: 'warning',
          ruleId: 'adr-supersedes-unknown',
          message: `${adr.id} ${verb} ${link.target}, but no ADR in this repository has that id`,
          hint: `Known ADR ids: ${summarizeIds([...byId.keys()])}. Fix the link or add the missing ADR.`,
        });
      }
    }
  }
  return diagnostics;
}

function summarizeIds(ids: string[]): string {
  const sorted = [...ids].sort();
  if (sorted.length === 0) return '(none)';
  return sorted.length <= 10 ? sorted.join(', ') : `${sorted.slice(0, 10).join(', ')}, … (${sorted.length} in all)`;
}
