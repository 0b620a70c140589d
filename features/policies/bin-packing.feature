# Policies other than Kubernetes' defaults, written as rule sets: a rules directory layered over the shipped
# rules replaces the rule sets of the same name (examples/policies/bin-packing), and a scenario can add a rule
# set of its own.
@epic:scheduling @feature:scheduling-policies
Feature: The platform team changes how pods are placed by editing rules, not code
  By default the scheduler spreads pods over the emptiest nodes, which keeps every node half full. A
  cost-conscious team would rather pack pods tightly so that the cluster autoscaler can remove idle nodes,
  and a team running maintenance windows wants the nodes being worked on left alone. Both are policy: the
  team writes them as rule sets and checks here what the cluster would do before rolling them out.

  Rule: the shipped LeastAllocated score spreads pods, the bin-packing rules pack them

    @severity:critical
    Scenario Outline: with <policy>, two web replicas land <placement>
      Given the rules in "<rules>"
      And the nodes:
        | name   | cpu | memory |
        | node-1 | 4   | 8Gi    |
        | node-2 | 4   | 8Gi    |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: metrics-agent}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-1}
          containers:
            - {name: agent, image: prom/node-exporter, resources: {requests: {cpu: 500m, memory: 1Gi}}}
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-1, labels: {app: web}}
        spec:
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: "1", memory: 2Gi}}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web-2, labels: {app: web}}
        spec:
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: "1", memory: 2Gi}}}
        """
      And the cluster reconciles
      Then node "node-1" runs <on node-1> pods
      And node "node-2" runs <on node-2> pods

      Examples:
        | policy                | rules                         | placement                       | on node-1 | on node-2 |
        | the shipped rules     | rules                         | one on each node                | 2         | 1         |
        | the bin-packing rules | examples/policies/bin-packing | both beside the agent on node-1 | 3         | 0         |

    Scenario: bin packing still honours the filters: a pod that no longer fits the busy node goes to the idle one
      Given the rules in "examples/policies/bin-packing"
      And the nodes:
        | name   | cpu | memory |
        | node-1 | 4   | 8Gi    |
        | node-2 | 4   | 8Gi    |
      And the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: metrics-agent}
        spec:
          nodeSelector: {kubernetes.io/hostname: node-1}
          containers:
            - {name: agent, image: prom/node-exporter, resources: {requests: {cpu: 500m, memory: 1Gi}}}
        """
      And the cluster reconciles
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: big}
        spec:
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: "4"}}}
        """
      And the cluster reconciles
      Then pod "big" is scheduled on node "node-2"

  Rule: a rule set of the scenario's own can add a filter

    Background:
      Given the nodes:
        | name   | cpu | memory | labels           |
        | node-1 | 4   | 8Gi    |                  |
        | node-2 | 4   | 8Gi    |                  |
        | node-3 | 8   | 16Gi   | maintenance=true |

    Scenario: by default a node labelled for maintenance still takes pods, being the emptiest
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: "3"}}}
        """
      And the cluster reconciles
      Then pod "web" is scheduled on node "node-3"

    Scenario: a maintenance-window filter keeps new pods off the node and says so
      Given the rule set:
        """
        apiVersion: kubespec.io/v1
        kind: RuleSet
        metadata:
          name: maintenance-window
          description: Nodes labelled maintenance=true are being worked on and take no new pods.
        spec:
          decisionPoint: scheduling.filter
          priority: 95
          rules:
            - name: node-in-maintenance
              conditions:
                all:
                  - fact: nodeLabel
                    params: { key: maintenance }
                    operator: equal
                    value: "true"
              event:
                type: reject
                params:
                  plugin: MaintenanceWindow
                  code: UnschedulableAndUnresolvable
                  reason: node(s) were in a maintenance window
        """
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - {name: app, image: nginx, resources: {requests: {cpu: "3"}}}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: analytics}
        spec:
          containers:
            - {name: app, image: spark, resources: {requests: {cpu: "6"}}}
        """
      And the cluster reconciles
      Then pod "web" is scheduled on one of the nodes "node-1, node-2"
      And pod "analytics" is unschedulable with message "0/3 nodes are available: 1 node(s) were in a maintenance window, 2 Insufficient cpu. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
