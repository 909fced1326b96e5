// The zod schema of what a user may write in `workplan.config.json` (or under package.json's
// `"workplan"` key): a partial WorkplanConfig, deep-merged over DEFAULT_CONFIG by `parseConfig`.
// Pure. Unknown keys are not rejected here (objects strip them); `config.ts` reports them itself
// so that it can point at each key and list the known ones.
import { z } from 'zod';

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const rootListSchema = z.array(z.string().min(1));

const vocabularySchema = z.object({
  values: z.array(z.string().trim().min(1)).min(1).optional(),
  aliases: z.record(z.string(), z.string().min(1)).optional(),
  default: z.string().min(1).optional(),
});

/** The ADR status vocabulary has no default: an ADR without a status is mirrored with none. */
const adrStatusVocabularySchema = vocabularySchema.omit({ default: true });

/** A partial configuration as written by the user. */
export const partialConfigSchema = z.object({
  $schema: z.string().optional(),
  roots: z
    .object({
      workplans: rootListSchema.optional(),
      adr: rootListSchema.optional(),
    })
    .optional(),
  vocabularies: z
    .object({
      workstreamStatus: vocabularySchema.optional(),
      taskStatus: vocabularySchema.optional(),
      priority: vocabularySchema.optional(),
      adrStatus: adrStatusVocabularySchema.optional(),
      dependencyKind: vocabularySchema.optional(),
    })
    .optional(),
  idPatterns: z
    .object({
      workplan: z.string().min(1).optional(),
      task: z.string().min(1).optional(),
      adr: z.string().min(1).optional(),
    })
    .optional(),
  database: z
    .object({
      urlEnv: z
        .string()
        .regex(ENV_NAME, 'must be an environment variable name (letters, digits and underscores, not starting with a digit)')
        .optional(),
      embeddedDir: z.string().min(1).optional(),
    })
    .optional(),
  sync: z
    .object({
      massRemovalThreshold: z.number().min(0).max(1).optional(),
      maxFileBytes: z.number().int().positive().optional(),
    })
    .optional(),
  hook: z
    .object({
      timeoutMs: z.number().int().positive().optional(),
      onDatabaseUnreachable: z.enum(['warn', 'block']).optional(),
    })
    .optional(),
  adr: z
    .object({
      style: z.enum(['auto', 'madr', 'nygard']).optional(),
    })
    .optional(),
});

export type PartialConfig = z.infer<typeof partialConfigSchema>;
export type PartialVocabulary = z.infer<typeof vocabularySchema>;

/** Extra top-level keys accepted besides those of WorkplanConfig. */
export const EXTRA_TOP_LEVEL_KEYS = ['$schema'] as const;
