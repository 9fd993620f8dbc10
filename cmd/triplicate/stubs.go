package main

var (
	demoCommand      = &command{name: "demo", short: "run the whole story on embedded data", run: func(*cli, *command, []string) error { return nil }}
	actaPrintCommand = &command{name: "print", short: "print", run: func(*cli, *command, []string) error { return nil }}
	actaScanCommand  = &command{name: "scan", short: "scan", run: func(*cli, *command, []string) error { return nil }}
)
