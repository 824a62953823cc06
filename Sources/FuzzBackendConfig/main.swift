import Fuzzing

// `make fuzz` builds this with libFuzzer; a normal build replays the files given as arguments.
FuzzDriver.main { data, size in FuzzDriver.run(data, size, BackendConfigCheck.check) }
