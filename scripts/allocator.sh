# glibc's allocator settings for nas4j's JVMs, sourced (POSIX sh) by the launchers (scripts/nas, a release's
# bin/nas) and by the benchmarks that start Java themselves. By default glibc serves large blocks (the
# engine's tensors: a batch's activations are megabytes) from fresh mmap'd pages and, by its dynamic
# thresholds, now and then gives freed ones back to the system, so a training step page-faults its tensors
# in anew: measured on the MNIST child, about 2 million minor faults in 120 steps and 86-91 ms a step in
# such runs, against 0.1-0.4 million and 70-73 ms with these settings (docs/benchmarks.md). Fixed
# thresholds keep freed blocks in the heap for the next step; a setting already in the environment wins.
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-268435456}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-268435456}"
