@epic:lifecycle @feature:oom-killed
Feature: A container that uses more memory than its limit is OOM-killed
  The kernel kills a container whose memory use exceeds its limit: the container is terminated with reason
  OOMKilled and exit code 137, and the restart policy and the crash-loop back-off take over. Memory above the
  request but below the limit is not killed.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 4   | 16Gi   |
    And the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
        annotations: {kubespec.io/memory-usage: 200Mi}
      spec:
        containers:
          - name: app
            image: "nginx:1.27"
            resources:
              requests: {memory: 256Mi}
              limits: {memory: 512Mi}
      """
    And the cluster reconciles

  Rule: a container over its memory limit is killed and restarted

    Scenario: The container's memory grows past its limit
      When pod "web" starts using 900Mi of memory
      And the cluster reconciles
      Then container "app" of pod "web" was terminated with reason "OOMKilled"
      And container "app" of pod "web" was terminated with exit code 137
      And container "app" of pod "web" has restarted 1 time

    Scenario: Each restart is killed again and the pod crash-loops
      When pod "web" starts using 900Mi of memory
      And 31 seconds pass
      Then container "app" of pod "web" has restarted 3 times
      And container "app" of pod "web" is waiting with reason "CrashLoopBackOff"
      And container "app" of pod "web" was terminated with reason "OOMKilled"

    Scenario: Memory above the request but below the limit is not killed
      When pod "web" starts using 400Mi of memory
      And 1 minute passes
      Then container "app" of pod "web" is running
      And container "app" of pod "web" has restarted 0 times
