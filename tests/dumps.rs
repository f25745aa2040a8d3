//! Dumps generated for the engine and hostile tests: small, valid, and
//! numbered, so each record can be told apart.

/// One `kubectl describe pod` block (current layout) whose container last
/// exited `code`, followed by the two blank lines `kubectl describe pods`
/// puts between pods.
pub fn describe_pod(i: usize, code: i32) -> String {
    format!(
        "Name:             pod-{i}\n\
         Namespace:        ns-{ns}\n\
         Node:             worker-{ns}/10.0.0.{ns}\n\
         Status:           Running\n\
         Containers:\n  \
         app:\n    \
         Container ID:   containerd://{i:064x}\n    \
         Image:          registry.example/app:{i}\n    \
         State:          Waiting\n      \
         Reason:       CrashLoopBackOff\n    \
         Last State:     Terminated\n      \
         Reason:       Error\n      \
         Exit Code:    {code}\n      \
         Started:      Tue, 04 Mar 2025 09:40:02 +0100\n      \
         Finished:     Tue, 04 Mar 2025 09:41:10 +0100\n    \
         Ready:          False\n    \
         Restart Count:  {i}\n\n\n",
        ns = i % 7
    )
}

/// Pods `first..first + n` as `kubectl describe pods` writes them; pod `i`
/// last exited `code(i)`.
pub fn describe_pods(n: usize, first: usize, code: impl Fn(usize) -> i32) -> String {
    (first..first + n)
        .map(|i| describe_pod(i, code(i)))
        .collect()
}
