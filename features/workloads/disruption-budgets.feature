# PodDisruptionBudgets (policy/v1): validation (k8s:pkg/apis/policy/validation/validation.go), the disruption
# controller's status (k8s:pkg/controller/disruption/disruption.go) and the Eviction API that honours it
# (k8s:pkg/registry/core/pod/storage/eviction.go).
@epic:workloads @feature:disruption-budgets
Feature: Disruption budgets keep enough replicas serving during voluntary disruptions
  The checkout team runs three web replicas and promises that at least two serve at all times. The platform team
  evicts pods for node maintenance through the Eviction API, which must refuse an eviction that would break that
  promise, with the reason, and allow it otherwise.

  Background:
    Given the nodes:
      | name   | cpu | memory |
      | node-1 | 4   | 16Gi   |
      | node-2 | 4   | 16Gi   |
      | node-3 | 4   | 16Gi   |

  Rule: the disruption controller counts expected and healthy pods and allows the difference

    @severity:critical
    Scenario: a Deployment of three with minAvailable 2 allows one disruption
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: app, image: nginx}]
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web}
        spec:
          minAvailable: 2
          selector: {matchLabels: {app: web}}
        """
      When the cluster reconciles
      Then poddisruptionbudget "web" has these fields:
        | field                         | value            |
        | status.expectedPods           | 3                |
        | status.currentHealthy         | 3                |
        | status.desiredHealthy         | 2                |
        | status.disruptionsAllowed     | 1                |
        | status.observedGeneration     | 1                |
        | status.conditions[0].type     | DisruptionAllowed |
        | status.conditions[0].status   | True             |
        | status.conditions[0].reason   | SufficientPods   |

    Scenario: a maxUnavailable percentage is taken of the Deployment's scale, not of the pods that exist
      # Each replica asks for 3 CPUs: the fourth fits nowhere and stays pending; 25% of 4 replicas is 1.
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 4
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: app, image: nginx, resources: {requests: {cpu: "3"}}}]
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web}
        spec:
          maxUnavailable: 25%
          selector: {matchLabels: {app: web}}
        """
      When the cluster reconciles
      Then poddisruptionbudget "web" has these fields:
        | field                       | value            |
        | status.expectedPods         | 4                |
        | status.currentHealthy       | 3                |
        | status.desiredHealthy       | 3                |
        | status.disruptionsAllowed   | 0                |
        | status.conditions[0].reason | InsufficientPods |

    Scenario: a percentage over pods without a controller cannot be computed and allows nothing
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, labels: {app: web}}
        spec:
          containers: [{name: app, image: nginx}]
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web}
        spec:
          minAvailable: 50%
          selector: {matchLabels: {app: web}}
        """
      When the cluster reconciles
      Then poddisruptionbudget "web" has these fields:
        | field                     | value |
        | status.expectedPods       | 0     |
        | status.currentHealthy     | 1     |
        | status.disruptionsAllowed | 0     |
      And the events include:
        | type    | reason        | object                  | message |
        | Warning | UnmanagedPods | poddisruptionbudget/web | Pods selected by this PodDisruptionBudget (selector: &LabelSelector{MatchLabels:map[string]string{app: web,},MatchExpressions:[]LabelSelectorRequirement{},}) were found to be unmanaged. As a result, the status of the PDB cannot be calculated correctly, which may result in undefined behavior. To account for these pods please set ".spec.minAvailable" field of the PDB to an integer value. |

  Rule: the Eviction API refuses an eviction that would break a budget

    Background:
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: web}
        spec:
          serviceName: web
          replicas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: web}
              annotations: {kubespec.io/ready-after: 30s}
            spec:
              containers: [{name: app, image: nginx}]
        ---
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web}
        spec:
          minAvailable: 2
          selector: {matchLabels: {app: web}}
        """
      And 2 minutes pass

    @severity:critical
    Scenario: the second eviction in a row is refused with the budget's reason
      When I evict pod "web-0"
      And the cluster reconciles
      And I try to evict pod "web-1"
      Then it is refused with:
        """
        Cannot evict pod as it would violate the pod's disruption budget.
        The disruption budget web needs 2 healthy pods and has 2 currently
        """
      And pod "web-1" has phase "Running"

    Scenario: an allowed eviction takes the disruption from the budget and deletes the pod gracefully
      When I evict pod "web-2"
      Then pod "web-2" is terminating
      And pod "web-2" has condition "DisruptionTarget" with reason "EvictionByEvictionAPI"
      And poddisruptionbudget "web" has these fields:
        | field                       | value            |
        | status.disruptionsAllowed   | 0                |
        | status.conditions[0].reason | InsufficientPods |

    Scenario: once the evicted replica is replaced and ready, evictions are allowed again
      When I evict pod "web-2"
      And 1 minute passes
      Then pod "web-2" is ready
      And poddisruptionbudget "web" has these fields:
        | field                     | value |
        | status.currentHealthy     | 3     |
        | status.disruptionsAllowed | 1     |

    Scenario: a pod two budgets select cannot be evicted
      Given the manifests:
        """
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: everything}
        spec:
          maxUnavailable: 1
          selector: {}
        """
      When I try to evict pod "web-0"
      Then it is refused with:
        """
        Internal error occurred: This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.
        """

  Rule: a budget names either minAvailable or maxUnavailable

    Scenario: both at once are refused
      When I try to apply the manifests:
        """
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web}
        spec:
          minAvailable: 2
          maxUnavailable: 1
          selector: {matchLabels: {app: web}}
        """
      Then the manifests are refused with:
        """
        manifests:4: document 1 (PodDisruptionBudget default/web): The PodDisruptionBudget "web" is invalid: spec: Invalid value: {"MinAvailable":2,"Selector":{"matchLabels":{"app":"web"}},"MaxUnavailable":1,"UnhealthyPodEvictionPolicy":null}: minAvailable and maxUnavailable cannot be both set
        """

    Scenario: a percentage over 100% is refused
      When I try to apply the manifests:
        """
        apiVersion: policy/v1
        kind: PodDisruptionBudget
        metadata: {name: web}
        spec:
          maxUnavailable: 120%
          selector: {matchLabels: {app: web}}
        """
      Then the manifests are refused with:
        """
        manifests:5: document 1 (PodDisruptionBudget default/web): The PodDisruptionBudget "web" is invalid: spec.maxUnavailable: Invalid value: "120%": must not be greater than 100%
        """
