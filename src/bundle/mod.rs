//! Evidence from the other files of a support bundle: kernel OOM-killer
//! lines, kubelet lines and the last words of container logs.

pub mod cgroup;
pub mod findings;
pub mod kernel;
pub mod kubelet;
pub mod lines;
pub mod prefix;
