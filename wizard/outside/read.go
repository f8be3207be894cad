package outside

import (
	"bufio"
	"context"
	"errors"
	"io"
	"os"
)

// result is what a read in the background gives.
type result[T any] struct {
	v   T
	err error
}

// wait runs read in the background and returns its result, or ctx.Err()
// as soon as the context ends: a read blocked on a terminal, a pipe or a
// FIFO with no writer cannot be interrupted otherwise. The abandoned read
// ends with the process.
func wait[T any](ctx context.Context, read func() (T, error)) (T, error) {
	if err := ctx.Err(); err != nil {
		var zero T
		return zero, err
	}
	done := make(chan result[T], 1)
	go func() {
		v, err := read()
		done <- result[T]{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// ReadAll reads r to its end, at most limit bytes: more is an error
// wrapping ErrTooLarge (a device like /dev/zero never ends).
func ReadAll(ctx context.Context, r io.Reader, limit int64, what string) ([]byte, error) {
	return wait(ctx, func() ([]byte, error) { return readAll(r, limit, what) })
}

func readAll(r io.Reader, limit int64, what string) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, &TooLargeError{What: what, Limit: limit}
	}
	return data, nil
}

// ReadFile reads a file, at most limit bytes. Opening waits too (a FIFO
// blocks until a writer comes), and ends with the context.
func ReadFile(ctx context.Context, name string, limit int64, what string) ([]byte, error) {
	return wait(ctx, func() ([]byte, error) {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		if st, err := f.Stat(); err == nil && st.IsDir() {
			return nil, errors.New(name + " is a folder")
		}
		return readAll(f, limit, what)
	})
}

// ReadLine reads one line from in without its line ending, at most limit
// bytes; a last line without a newline counts. At the end of the input
// with nothing read it returns io.EOF.
func ReadLine(ctx context.Context, in *bufio.Reader, limit int) (string, error) {
	return wait(ctx, func() (string, error) { return readLine(in, limit) })
}

func readLine(in *bufio.Reader, limit int) (string, error) {
	var line []byte
	for {
		chunk, err := in.ReadSlice('\n')
		line = append(line, chunk...)
		if len(line) > limit+2 { // room for "\r\n"
			return "", &TooLargeError{What: "the line", Limit: int64(limit)}
		}
		switch {
		case err == nil:
			return trimEOL(line), nil
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case errors.Is(err, io.EOF) && len(line) > 0:
			return trimEOL(line), nil
		}
		return "", err
	}
}

func trimEOL(b []byte) string {
	n := len(b)
	for n > 0 && (b[n-1] == '\n' || b[n-1] == '\r') {
		n--
	}
	return string(b[:n])
}
