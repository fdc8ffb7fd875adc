// Command-line flags of `npm run bench`: --quick, --only=a,b (or --only a,b), --profile, --list,
// and any other --name=value, handed to the suites.

export interface BenchArgs {
  quick: boolean
  profile: boolean
  list: boolean
  only: string[] | null
  flags: Map<string, string>
}

export const parseArgs = (argv: readonly string[]): BenchArgs => {
  const args: BenchArgs = {
    quick: false,
    profile: false,
    list: false,
    only: null,
    flags: new Map(),
  }
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (!arg.startsWith('--'))
      throw new Error(`bench: unexpected argument "${arg}" (flags start with --)`)
    const eq = arg.indexOf('=')
    const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq)
    let value = eq < 0 ? undefined : arg.slice(eq + 1)
    if (name === 'quick') args.quick = true
    else if (name === 'profile') args.profile = true
    else if (name === 'list') args.list = true
    else {
      if (value === undefined) {
        value = argv[i + 1]
        if (value === undefined || value.startsWith('--'))
          throw new Error(`bench: --${name} needs a value`)
        i++
      }
      if (name === 'only') args.only = value.split(',').filter(Boolean)
      else args.flags.set(name, value)
    }
  }
  return args
}
