// The command line's grammar, built with commander from the command table (command-table.ts):
// global and per-command options, `--help` for every command, "did you mean" for unknown commands and
// options. Parsing only: it never runs a command itself and never exits the process — what the user
// asked for comes back as a ParsedCommandLine, and main.ts runs it.
import { Command, CommanderError } from 'commander';
import { COMMANDS, GROUPS, type CommandSpec } from './command-table.js';

export const PROGRAM_SUMMARY = 'workplan — keep a Postgres mirror of Markdown workplans and ADRs exact (files are the source of truth)';

const GLOBAL_HELP_AFTER = `
Environment: DATABASE_URL (a postgresql:// URL; without it the embedded store in .workplan/db is used),
WORKPLAN_REPOSITORY_SLUG (the repository's name in a shared mirror).
Exit codes: 0 ok, 1 invalid files, 2 usage, 3 write conflict, 4 locked, 5 database unreachable,
6 migration failed, 7 mass removal refused, 8 refused input, 9 mirror schema differs from the
migrations, 70 internal error.
Run "workplan <command> --help" for a command's options.`;

/** What the command line asks for. */
export type ParsedCommandLine =
  | { kind: 'run'; spec: CommandSpec; options: Record<string, unknown>; positionals: string[] }
  /** Help or the version was printed (exit 0). */
  | { kind: 'printed' }
  /** A usage error was printed (exit 2). */
  | { kind: 'usage-error' };

export interface ProgramOutput {
  out(text: string): void;
  err(text: string): void;
}

/** Parses argv (the arguments after `workplan`); prints help, the version or usage errors through `output`. */
export async function parseCommandLine(argv: string[], version: () => string, output: ProgramOutput): Promise<ParsedCommandLine> {
  let chosen: ParsedCommandLine | undefined;
  const program = buildProgram(version, output, (spec, command) => {
    const options = command.optsWithGlobals();
    chosen = { kind: 'run', spec, options, positionals: command.args.slice() };
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // Help asked for (`--help`, `help`) or the version: done. Help shown because a command was missing
    // (`workplan`, `workplan db`): a usage error.
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return { kind: 'printed' };
    return { kind: 'usage-error' };
  }
  return chosen ?? { kind: 'printed' };
}

function buildProgram(version: () => string, output: ProgramOutput, choose: (spec: CommandSpec, command: Command) => void): Command {
  const program = new Command('workplan');
  configure(program, output);
  program
    .description(PROGRAM_SUMMARY)
    .usage('<command> [options]')
    .option('--root <dir>', 'repository root (default: the git top level of the current directory)')
    .option('--json', 'machine-readable output')
    .helpOption('-h, --help', 'show help')
    .version(version(), '-v, --version', 'show the version')
    .helpCommand('help [command]', 'Show help for a command')
    .addHelpText('after', GLOBAL_HELP_AFTER);

  // Groups (`db`, `hook`) take their place in the list where their first action is.
  const groups = new Map<string, Command>();
  const groupFor = (name: string): Command => {
    let group = groups.get(name);
    if (group) return group;
    const spec = GROUPS.find((g) => g.name === name)!;
    const actions = COMMANDS.filter((c) => c.name.startsWith(`${name} `)).map((c) => c.name.slice(name.length + 1));
    group = program
      .command(name)
      .summary(spec.summary)
      .description(`${spec.summary}.`)
      .usage(`${actions.join('|')} [options]`);
    configure(group, output);
    group.helpCommand(false);
    groups.set(name, group);
    return group;
  };
  for (const spec of COMMANDS) {
    const [first, action] = spec.name.split(' ') as [string, string | undefined];
    const parent = action ? groupFor(first) : program;
    const command = parent
      .command(action ?? first)
      .summary(spec.summary)
      .description(describe(spec));
    configure(command, output);
    if (spec.arguments) command.arguments(spec.arguments);
    for (const option of spec.options ?? []) {
      if (option.repeatable) command.option(option.flags, option.description, collect);
      else command.option(option.flags, option.description);
    }
    if (spec.examples?.length) command.addHelpText('after', `\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join('\n')}`);
    command.action((...args: unknown[]) => {
      choose(spec, args[args.length - 1] as Command);
    });
  }
  return program;
}

/** A repeatable option's values, in the order given (`--status a --status b` → ['a', 'b']). */
function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** What every command shares: errors and help go to our output, never to process.exit. */
function configure(command: Command, output: ProgramOutput): void {
  command
    .exitOverride()
    .showSuggestionAfterError(true)
    .configureHelp({ showGlobalOptions: true, helpWidth: 100, subcommandTerm: (c) => subcommandTerm(c) })
    .configureOutput({
      writeOut: (text) => output.out(text.replace(/\n+$/, '')),
      writeErr: (text) => output.err(text.replace(/\n+$/, '')),
      outputError: (text, write) =>
        write(`workplan: ${text.replace(/^error: /, '').replace(/\n+$/, '')}\nRun "${commandPath(command)} --help" for usage.\n`),
    });
}

function describe(spec: CommandSpec): string {
  return spec.details ? `${spec.summary}.\n\n${spec.details}` : `${spec.summary}.`;
}

/** `check [paths...]`, `db migrate|status` in the command list. */
function subcommandTerm(command: Command): string {
  if (command.commands.length > 0) return `${command.name()} ${command.commands.map((c) => c.name()).join('|')}`;
  const args = command.registeredArguments.map((a) =>
    a.required ? `<${a.name()}${a.variadic ? '...' : ''}>` : `[${a.name()}${a.variadic ? '...' : ''}]`,
  );
  return [command.name(), ...args].join(' ');
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}
