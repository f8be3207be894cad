package check

import (
	"context"
	"testing"
	"time"
)

// BenchmarkCheckAll checks all 28 services against fakes that answer each
// request after 50 ms. Run in parallel (8 at a time), the whole takes about
// the slowest check times the number of waves, far below the sum.
func BenchmarkCheckAll(b *testing.B) {
	const latency = 50 * time.Millisecond
	_, h := newWorld(b, latency)
	k := fakeChecker(b, h)
	all := allValues(b)
	var sum, slowest, total time.Duration
	for b.Loop() {
		start := time.Now()
		res := k.CheckAll(context.Background(), all)
		total += time.Since(start)
		for _, r := range res {
			if !r.OK {
				b.Fatalf("%s: %s", r.Service, r.Message)
			}
			sum += r.Elapsed
			slowest = max(slowest, r.Elapsed)
		}
	}
	n := float64(b.N)
	b.ReportMetric(float64(total.Milliseconds())/n, "total-ms/op")
	b.ReportMetric(float64(sum.Milliseconds())/n, "sum-of-checks-ms/op")
	b.ReportMetric(float64(slowest.Milliseconds()), "slowest-check-ms")
	b.ReportMetric(float64(sum)/float64(total), "speedup")
}
