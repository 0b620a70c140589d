@epic:lifecycle @feature:restarts
Feature: Containers that exit are restarted by the restart policy, with the kubelet's crash-loop back-off
  A developer whose container keeps crashing sees what `kubectl get pods` shows: CrashLoopBackOff, the restart
  count, and restarts that come ever later: at once, then 10s, 20s, 40s, 1m20s, 2m40s and 5m0s after each crash
  (k8s:pkg/kubelet/kuberuntime/kuberuntime_manager.go doBackOff with the back-off of k8s:pkg/kubelet/kubelet.go,
  backOffPeriod 10s doubling up to MaxContainerBackOff 5m). kubespec restarts a container the moment its back-off
  window closes; a real kubelet notices at its next pod sync, up to a few seconds later.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 4   | 16Gi   |

  Rule: a crashing container is restarted at once, then after a back-off that doubles up to five minutes

    Scenario: The restarts of a container that crashes one second after each start
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          annotations:
            kubespec.io/exit-after: 1s
            kubespec.io/exit-code: "1"
        spec:
          containers: [{name: app, image: "nginx:1.27"}]
        """
      And 15 minutes pass
      Then the events of pod "web" were:
        | time    | reason    |
        | +0s     | Scheduled |
        | +0s     | Pulled    |
        | +0s     | Created   |
        | +0s     | Started   |
        | +1s     | Pulled    |
        | +1s     | Created   |
        | +1s     | Started   |
        | +2s     | BackOff   |
        | +12s    | Pulled    |
        | +12s    | Created   |
        | +12s    | Started   |
        | +13s    | BackOff   |
        | +33s    | Pulled    |
        | +33s    | Created   |
        | +33s    | Started   |
        | +34s    | BackOff   |
        | +1m14s  | Pulled    |
        | +1m14s  | Created   |
        | +1m14s  | Started   |
        | +1m15s  | BackOff   |
        | +2m35s  | Pulled    |
        | +2m35s  | Created   |
        | +2m35s  | Started   |
        | +2m36s  | BackOff   |
        | +5m16s  | Pulled    |
        | +5m16s  | Created   |
        | +5m16s  | Started   |
        | +5m17s  | BackOff   |
        | +10m17s | Pulled    |
        | +10m17s | Created   |
        | +10m17s | Started   |
        | +10m18s | BackOff   |
      And container "app" of pod "web" has restarted 7 times
      And container "app" of pod "web" is waiting with reason "CrashLoopBackOff"
      And container "app" of pod "web" is waiting with message "back-off 5m0s restarting failed container=app pod=web_default(<uid>)"

    Scenario: The kubelet's events while a container crash-loops, in v1.35 wording
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          annotations:
            kubespec.io/exit-after: 1s
            kubespec.io/exit-code: "1"
        spec:
          containers: [{name: app, image: "nginx:1.27"}]
        """
      And 13 seconds pass
      Then the events of pod "web" were:
        | time | type    | reason    | message                                                                                |
        | +0s  | Normal  | Scheduled | Successfully assigned default/web to n1                                                |
        | +0s  | Normal  | Pulled    | Container image "nginx:1.27" already present on machine and can be accessed by the pod |
        | +0s  | Normal  | Created   | Container created                                                                      |
        | +0s  | Normal  | Started   | Container started                                                                      |
        | +1s  | Normal  | Pulled    | Container image "nginx:1.27" already present on machine and can be accessed by the pod |
        | +1s  | Normal  | Created   | Container created                                                                      |
        | +1s  | Normal  | Started   | Container started                                                                      |
        | +2s  | Warning | BackOff   | Back-off restarting failed container app in pod web_default(<uid>)                     |
        | +12s | Normal  | Pulled    | Container image "nginx:1.27" already present on machine and can be accessed by the pod |
        | +12s | Normal  | Created   | Container created                                                                      |
        | +12s | Normal  | Started   | Container started                                                                      |
        | +13s | Warning | BackOff   | Back-off restarting failed container app in pod web_default(<uid>)                     |
      And container "app" of pod "web" is waiting with message "back-off 20s restarting failed container=app pod=web_default(<uid>)"
      And the events include:
        | reason  | object  | message           | count |
        | Started | pod/web | Container started | 3     |

    Scenario: A container that ran for ten minutes starts its back-off afresh
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          annotations:
            kubespec.io/exit-after: 11m
            kubespec.io/exit-code: "1"
        spec:
          containers: [{name: app, image: "nginx:1.27"}]
        """
      And 23 minutes pass
      Then the events of pod "web" were:
        | time    | reason    |
        | +0s     | Scheduled |
        | +0s     | Pulled    |
        | +0s     | Created   |
        | +0s     | Started   |
        | +11m0s  | Pulled    |
        | +11m0s  | Created   |
        | +11m0s  | Started   |
        | +22m0s  | Pulled    |
        | +22m0s  | Created   |
        | +22m0s  | Started   |
      And container "app" of pod "web" has restarted 2 times

  Rule: the restart policy decides which exits are followed by a restart

    Scenario Outline: A container exiting with code <code> under restartPolicy <policy>
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: job
          annotations:
            kubespec.io/exit-after: 5s
            kubespec.io/exit-code: "<code>"
        spec:
          restartPolicy: <policy>
          containers: [{name: task, image: "busybox:1.36"}]
        """
      And 6 seconds pass
      Then pod "job" has phase "<phase>"
      And container "task" of pod "job" has restarted <restarts> times
      And container "task" of pod "job" was terminated with reason "<reason>"

      Examples:
        | policy    | code | phase     | restarts | reason    |
        | Always    | 0    | Running   | 1        | Completed |
        | Always    | 1    | Running   | 1        | Error     |
        | OnFailure | 0    | Succeeded | 0        | Completed |
        | OnFailure | 2    | Running   | 1        | Error     |
        | Never     | 0    | Succeeded | 0        | Completed |
        | Never     | 3    | Failed    | 0        | Error     |

    Scenario: A completed pod is no longer ready and keeps its exit code
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: job
          annotations: {kubespec.io/exit-after: 30s}
        spec:
          restartPolicy: Never
          containers: [{name: task, image: "busybox:1.36"}]
        """
      And 1 minute passes
      Then pod "job" has phase "Succeeded"
      And container "task" of pod "job" was terminated with exit code 0
      And pod "job" is not ready
      And node "n1" runs 0 pods
