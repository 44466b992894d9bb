import CNcurses

/// Gives the terminal back from a signal handler (endwin is what ncurses' own handlers call).
func endwinForSignal() {
    endwin()
}
