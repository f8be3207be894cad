package outside

import (
	"context"

	"golang.org/x/term"
)

// ReadSecret reads one line from the terminal fd without echo. When the
// context ends first (Ctrl-C), the terminal's settings are put back, so
// that echo is on again, and ctx.Err() is returned.
func ReadSecret(ctx context.Context, fd int) (string, error) {
	state, err := term.GetState(fd)
	if err != nil {
		return "", err
	}
	b, err := wait(ctx, func() ([]byte, error) { return term.ReadPassword(fd) })
	if ctx.Err() != nil {
		_ = term.Restore(fd, state)
		return "", ctx.Err()
	}
	if len(b) > MaxLine {
		return "", &TooLargeError{What: "the line", Limit: MaxLine}
	}
	return string(b), err
}
