import Foundation
import TimeBankSimulation

// scripts/simulate runs this; see docs/testing.md.
exit(SimulationCommand.main(Array(CommandLine.arguments.dropFirst())))
