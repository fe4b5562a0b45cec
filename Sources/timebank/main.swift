import TimeBankCLI
import TimeBankCore
import TimeBankStorage

#if canImport(Glibc)
import Glibc
#endif

// `$TIMEBANK_CLOCK` (`2026-11-21T12:00:00.000Z`) freezes the clock, for reproducible runs: tests, replays.
let environment = ProcessEnvironment.current
var clock: any Clock = SystemClock()
if let frozen = environment["TIMEBANK_CLOCK"], !frozen.isEmpty {
    guard let moment = Timestamp(frozen) else {
        StandardStream.error.write("error[U001]: TIMEBANK_CLOCK is \"\(frozen)\"; write a UTC moment such as 2026-11-21T12:00:00.000Z\n")
        exit(2)
    }
    clock = FixedClock(moment)
}
let context = CommandContext(
    output: StandardStream.output, errors: StandardStream.error, environment: environment, clock: clock)
exit(TimeBankCLI.run(Array(CommandLine.arguments.dropFirst()), context: context))
