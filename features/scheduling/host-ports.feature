# kube-scheduler's NodePorts filter (k8s:pkg/scheduler/framework/plugins/nodeports/node_ports.go, port
# overlap as in k8s:pkg/scheduler/framework/types.go HostPortInfo.CheckConflict).
@epic:scheduling @feature:node-ports
Feature: A host port can be taken by one pod per node
  Ingress controllers and node agents bind ports on the node itself with hostPort. Two pods cannot listen on
  the same port, protocol and address of one machine, so the scheduler spreads them out, and once every
  node has the port taken, the next replica waits.

  Background:
    Given the nodes:
      | name   | cpu | memory |
      | node-1 | 4   | 8Gi    |
      | node-2 | 4   | 8Gi    |
    And the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: ingress-1, labels: {app: ingress}}
      spec:
        nodeSelector: {kubernetes.io/hostname: node-1}
        containers:
          - name: controller
            image: ingress-nginx/controller
            ports: [{containerPort: 80, hostPort: 80}]
      """
    And the cluster reconciles

  Rule: a node whose host port is taken is filtered out

    @severity:critical
    Scenario: a second ingress controller goes to the node where port 80 is free
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: ingress-2, labels: {app: ingress}}
        spec:
          containers:
            - name: controller
              image: ingress-nginx/controller
              ports: [{containerPort: 80, hostPort: 80}]
        """
      And the cluster reconciles
      Then pod "ingress-2" is scheduled on node "node-2"

    Scenario: when every node has the port taken, the next replica waits
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: ingress-2, labels: {app: ingress}}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-2}
          containers:
            - name: controller
              image: ingress-nginx/controller
              ports: [{containerPort: 80, hostPort: 80}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: ingress-3, labels: {app: ingress}}
        spec:
          containers:
            - name: controller
              image: ingress-nginx/controller
              ports: [{containerPort: 80, hostPort: 80}]
        """
      And the cluster reconciles
      Then pod "ingress-3" is unschedulable with message "0/2 nodes are available: 2 node(s) didn't have free ports for the requested pod ports. preemption: 0/2 nodes are available: 2 No preemption victims found for incoming pod."

  Rule: a port conflicts only for the same protocol and an overlapping address

    Scenario: the same port over UDP does not conflict with TCP
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: dns}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-1}
          containers:
            - name: coredns
              image: coredns
              ports: [{containerPort: 80, hostPort: 80, protocol: UDP}]
        """
      And the cluster reconciles
      Then pod "dns" is scheduled on node "node-1"

    Scenario: a port bound to one address conflicts with the same port on every address
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: metrics}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-1}
          containers:
            - name: exporter
              image: node-exporter
              ports: [{containerPort: 80, hostPort: 80, hostIP: 127.0.0.1}]
        """
      And the cluster reconciles
      Then pod "metrics" is unschedulable with message "0/2 nodes are available: 1 node(s) didn't have free ports for the requested pod ports, 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/2 nodes are available: 1 No preemption victims found for incoming pod, 1 Preemption is not helpful for scheduling."

    Scenario: ports bound to two different addresses do not conflict
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: metrics-a}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-2}
          containers:
            - name: exporter
              image: node-exporter
              ports: [{containerPort: 9100, hostPort: 9100, hostIP: 10.0.0.1}]
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: metrics-b}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-2}
          containers:
            - name: exporter
              image: node-exporter
              ports: [{containerPort: 9100, hostPort: 9100, hostIP: 10.0.0.2}]
        """
      And the cluster reconciles
      Then pod "metrics-b" is scheduled on node "node-2"
