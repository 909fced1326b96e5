// Cross-file ADR checks: supersession links must point at ADRs that exist, and ids must be unique.
// Pure; runs on already-parsed ADRs (see parseAdr), so it never reads a file.
import type { Adr } from '../model/adr.js';
import type { Diagnostic, Span } from '../model/diagnostic.js';

const FILE_START: Span = { start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };

/** Reports links to unknown ADR ids (`adr-supersedes-unknown`) and ids used twice (`adr-id-duplicate`). */
export function checkAdrLinks(adrs: readonly Adr[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const byId = new Map<string, Adr[]>();
  for (const adr of adrs) byId.set(adr.id, [...(byId.get(adr.id) ?? []), adr]);

  for (const [id, holders] of byId) {
    if (holders.length < 2) continue;
    for (const adr of holders) {
      const others = holders.filter((h) => h !== adr).map((h) => h.path);
      diagnostics.push({
        path: adr.path,
        span: adr.idSpan ?? adr.titleHeading?.span ?? FILE_START,
        severity: 'error',
        ruleId: 'adr-id-duplicate',
        message: `ADR id ${id} is used by both ${adr.path} and ${others.join(', ')}`,
        hint: 'Give each ADR its own number: rename one file (and its title number or frontmatter id).',
      });
    }
  }

  for (const adr of adrs) {
    const links = adr.links ?? [
      ...adr.supersedes.map((target) => ({ relation: 'supersedes' as const, target, span: undefined })),
      ...adr.supersededBy.map((target) => ({ relation: 'superseded-by' as const, target, span: undefined })),
    ];
    for (const link of links) {
      if (byId.has(link.target)) continue;
      const verb = link.relation === 'supersedes' ? 'supersedes' : 'is superseded by';
      diagnostics.push({
        path: adr.path,
        span: link.span ?? adr.statusSpan ?? adr.frontmatter?.span ?? FILE_START,
        severity: 'error',
        ruleId: 'adr-supersedes-unknown',
        message: `${adr.id} ${verb} ${link.target}, but no ADR has that id`,
        hint: `Known ADR ids: ${summarizeIds([...byId.keys()])}. Fix the link or add the missing ADR.`,
      });
    }
  }
  return diagnostics;
}

function summarizeIds(ids: string[]): string {
  const sorted = [...ids].sort();
  if (sorted.length === 0) return '(none)';
  return sorted.length <= 10 ? sorted.join(', ') : `${sorted.slice(0, 10).join(', ')}, … (${sorted.length} in all)`;
}
