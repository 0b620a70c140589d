@epic:lifecycle @feature:termination
Feature: A deleted pod terminates gracefully
  Deleting a pod marks it Terminating at once; the kubelet runs the preStop hooks, sends SIGTERM, and kills what
  is left when the grace period (terminationGracePeriodSeconds, 30 by default) is over, with at least 2 seconds
  after SIGTERM. The pod then ends Succeeded or Failed by its containers' exit codes and the kubelet deletes it
  (k8s:pkg/kubelet/kuberuntime/kuberuntime_container.go killContainer, k8s:pkg/kubelet/pod_workers.go).

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 4   | 16Gi   |

  Rule: a container that exits on SIGTERM ends the pod at once

    Scenario: A pod whose container exits at once is gone when the kubelet has stopped it
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: "nginx:1.27"}]
        """
      And the cluster reconciles
      When I delete pod "web"
      Then pod "web" is terminating
      When the cluster reconciles
      Then pod "web" no longer exists
      And pod "web" ended with phase "Succeeded"
      And container "app" of pod "web" was terminated with reason "Completed"
      And the events of pod "web" end with:
        | time | type   | reason  | message                |
        | +0s  | Normal | Killing | Stopping container app |

  Rule: a container that ignores SIGTERM is killed when the grace period ends

    Scenario: A container that never exits on SIGTERM is killed after 30 seconds
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          annotations: {kubespec.io/shutdown-after: never}
        spec:
          containers: [{name: app, image: "nginx:1.27"}]
        """
      And the cluster reconciles
      When I delete pod "web"
      And 29 seconds pass
      Then pod "web" is terminating
      When 1 second passes
      Then pod "web" no longer exists
      And pod "web" ended with phase "Failed"
      And container "app" of pod "web" was terminated with exit code 137

    Scenario: A container that takes 10 seconds to shut down
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          annotations: {kubespec.io/shutdown-after: 10s}
        spec:
          containers: [{name: app, image: "nginx:1.27"}]
        """
      And the cluster reconciles
      When I delete pod "web"
      And 9 seconds pass
      Then pod "web" is terminating
      When 1 second passes
      Then pod "web" no longer exists
      And pod "web" ended with phase "Succeeded"

    Scenario: The preStop hook runs first and its time comes off the grace period
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          annotations: {kubespec.io/shutdown-after: never}
        spec:
          terminationGracePeriodSeconds: 20
          containers:
            - name: app
              image: "nginx:1.27"
              lifecycle:
                preStop:
                  sleep: {seconds: 15}
        """
      And the cluster reconciles
      When I delete pod "web"
      And 19 seconds pass
      Then pod "web" is terminating
      When 1 second passes
      Then pod "web" no longer exists

    Scenario: A preStop hook longer than the grace period leaves the container 2 more seconds
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          annotations: {kubespec.io/shutdown-after: never}
        spec:
          terminationGracePeriodSeconds: 10
          containers:
            - name: app
              image: "nginx:1.27"
              lifecycle:
                preStop:
                  exec: {command: ["/bin/sh", "-c", "sleep 60"]}
        """
      And the cluster reconciles
      When I delete pod "web"
      And 11 seconds pass
      Then pod "web" is terminating
      When 1 second passes
      Then pod "web" no longer exists

  Rule: a force delete removes the pod at once

    Scenario: Force deleting a pod whose container ignores SIGTERM
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          annotations: {kubespec.io/shutdown-after: never}
        spec:
          containers: [{name: app, image: "nginx:1.27"}]
        """
      And the cluster reconciles
      When I force delete pod "web"
      Then pod "web" no longer exists
      When the cluster reconciles
      Then the events of pod "web" end with:
        | reason  | message                |
        | Killing | Stopping container app |
