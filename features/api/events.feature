# Kubernetes Events as client-go's EventRecorder writes them (k8s:staging/src/k8s.io/client-go/tools/record/event.go
# makeEvent; k8s:staging/src/k8s.io/client-go/tools/record/events_cache.go EventCorrelator): an event identical
# to an earlier one (same source, object, type, reason and message) is counted on the first one.
@epic:api @feature:events
Feature: Events are counted, not repeated
  An on-call engineer reads `kubectl get events` to see what keeps going wrong. A pod that fails to schedule
  every few minutes shows up once, with a count and the time it last happened, not as a wall of copies.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 1   | 4Gi    |
    And the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: big}
      spec:
        containers:
          - name: app
            image: nginx
            resources:
              requests: {cpu: "2"}
      """

  Scenario: the first failure is one event
    When the cluster reconciles
    Then the events include:
      | type    | reason           | object  | count |
      | Warning | FailedScheduling | pod/big | 1     |
    And the "FailedScheduling" event of pod "big" has these fields:
      | field               | value                                                                                                                             |
      | type                | Warning                                                                                                                           |
      | message             | 0/1 nodes are available: 1 Insufficient cpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod. |
      | involvedObject.kind | Pod                                                                                                                               |
      | involvedObject.name | big                                                                                                                               |
      | source.component    | default-scheduler                                                                                                                 |
      | count               | 1                                                                                                                                 |
      | firstTimestamp      | 2025-01-01T00:00:00Z                                                                                                              |
      | lastTimestamp       | 2025-01-01T00:00:00Z                                                                                                              |

  Scenario: the same failure again bumps the count and the last time seen
    When the cluster reconciles
    And 6 minutes pass
    Then the events include:
      | type    | reason           | object  | count |
      | Warning | FailedScheduling | pod/big | 2     |
    And the "FailedScheduling" event of pod "big" has these fields:
      | field          | value                |
      | count          | 2                    |
      | firstTimestamp | 2025-01-01T00:00:00Z |
      | lastTimestamp  | 2025-01-01T00:05:30Z |
