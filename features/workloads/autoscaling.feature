# The HorizontalPodAutoscaler (autoscaling/v2) as kube-controller-manager runs it
# (k8s:pkg/controller/podautoscaler/horizontal.go, replica_calculator.go): every 15 seconds it reads the resource
# metrics of the target's pods — here the kubelet's simulated usage, the pods' kubespec.io/cpu-usage and
# kubespec.io/memory-usage annotations — proposes ceil(replicas × usage / target), leaves a change within 10%
# alone, and applies the behavior's rate limits and stabilization windows before it scales the target.
@epic:workloads @feature:autoscaling
Feature: The horizontal pod autoscaler follows the load, within its bounds and at its pace
  The shop's web tier has to grow when the evening rush comes and shrink once it is over, without flapping. The
  platform team needs to know how fast it grows, how long it waits before it shrinks, and what it says when it
  cannot measure the load.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 16  | 64Gi   |

  Rule: the autoscaler scales the target to ceil(replicas × usage ÷ target)

    @severity:critical
    Scenario: under load it grows by at most 4 pods or 100% per 15 seconds, up to its maximum
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: web}
              annotations: {kubespec.io/cpu-usage: 500m}
            spec:
              containers: [{name: app, image: "nginx:1.27", resources: {requests: {cpu: 100m}}}]
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 1
          maxReplicas: 12
          metrics:
            - type: Resource
              resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
          behavior: {}
        """
      When 1 minute passes
      Then horizontal pod autoscaler "web" wants 12 replicas
      And deployment "web" has 12 available replicas
      And the events of hpa "web" were:
        | time | type   | reason            | message                                                                       |
        | +15s | Normal | SuccessfulRescale | New size: 5; reason: cpu resource utilization (percentage of request) above target  |
        | +30s | Normal | SuccessfulRescale | New size: 10; reason: cpu resource utilization (percentage of request) above target |
        | +45s | Normal | SuccessfulRescale | New size: 12; reason: cpu resource utilization (percentage of request) above target |
      And the conditions of horizontal pod autoscaler "web" are:
        | type           | status | reason          | message                                                                                                   |
        | AbleToScale    | True   | ReadyForNewScale | recommended size matches current size                                                                    |
        | ScalingActive  | True   | ValidMetricFound | the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request) |
        | ScalingLimited | True   | TooManyReplicas  | the desired replica count is more than the maximum replica count                                          |

    Scenario: a load within 10% of the target changes nothing
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
              containers: [{name: app, image: "nginx:1.27", resources: {requests: {cpu: "1"}}}]
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          maxReplicas: 10
          metrics:
            - type: Resource
              resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
        """
      And the cluster reconciles
      When the pods matching "app=web" use 540m of cpu each
      And 1 minute passes
      Then horizontal pod autoscaler "web" wants 3 replicas
      And hpa "web" has these fields:
        | field                                                        | value  |
        | status.currentReplicas                                       | 3      |
        | status.lastScaleTime                                         | <none> |
        | status.currentMetrics[0].resource.current.averageUtilization | 54    |
        | status.currentMetrics[0].resource.current.averageValue       | 540m  |

    Scenario: once the load is 12% over the target it adds a pod
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
              containers: [{name: app, image: "nginx:1.27", resources: {requests: {cpu: "1"}}}]
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          maxReplicas: 10
          metrics:
            - type: Resource
              resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
        """
      And the cluster reconciles
      When the pods matching "app=web" use 560m of cpu each
      And 15 seconds pass
      Then horizontal pod autoscaler "web" wants 4 replicas
      And the events of hpa "web" were:
        | time | type   | reason            | message                                                                            |
        | +15s | Normal | SuccessfulRescale | New size: 4; reason: cpu resource utilization (percentage of request) above target |

    Scenario: a pod that reports no usage counts as idle, which holds a scale up back
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: web}
        spec:
          serviceName: web
          replicas: 2
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: app, image: "nginx:1.27", resources: {requests: {cpu: "1"}}}]
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: web}
          maxReplicas: 10
          metrics:
            - type: Resource
              resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
        """
      And the cluster reconciles
      When pod "web-0" starts using 900m of cpu
      And 15 seconds pass
      Then horizontal pod autoscaler "web" wants 2 replicas
      When pod "web-1" starts using 900m of cpu
      And 15 seconds pass
      Then horizontal pod autoscaler "web" wants 4 replicas
      And the events of hpa "web" were:
        | time | type   | reason            | message                                                                            |
        | +30s | Normal | SuccessfulRescale | New size: 4; reason: cpu resource utilization (percentage of request) above target |

  Rule: it shrinks only when every recommendation of the stabilization window (300 seconds) allows it

    Scenario: after the rush the replicas stay for 5 minutes, then go at once
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
              containers: [{name: app, image: "nginx:1.27", resources: {requests: {cpu: "1"}}}]
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 1
          maxReplicas: 10
          metrics:
            - type: Resource
              resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
          behavior:
            scaleDown: {stabilizationWindowSeconds: 300}
        """
      And the cluster reconciles
      And the pods matching "app=web" use 500m of cpu each
      And 1 minute passes
      When the pods matching "app=web" use 100m of cpu each
      And 299 seconds pass
      Then horizontal pod autoscaler "web" wants 4 replicas
      And the conditions of horizontal pod autoscaler "web" are:
        | type           | status | reason              | message                                                                                          |
        | AbleToScale    | True   | ScaleDownStabilized | recent recommendations were higher than current one, applying the highest recent recommendation |
        | ScalingActive  | True   | ValidMetricFound    | the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request) |
        | ScalingLimited | False  | DesiredWithinRange  | the desired count is within the acceptable range                                                 |
      When 1 second passes
      Then horizontal pod autoscaler "web" wants 1 replica
      And the events of hpa "web" were:
        | time  | type   | reason            | message                                      |
        | +6m0s | Normal | SuccessfulRescale | New size: 1; reason: All metrics below target |
      And hpa "web" has these fields:
        | field                | value                |
        | status.lastScaleTime | 2025-01-01T00:06:00Z |

  Rule: the replicas stay between minReplicas and maxReplicas

    Scenario: a target with more replicas than the maximum is brought down to it at the first sync
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 8
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: app, image: "nginx:1.27", resources: {requests: {cpu: 100m}}}]
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 2
          maxReplicas: 5
        """
      When 15 seconds pass
      Then horizontal pod autoscaler "web" wants 5 replicas
      And deployment "web" has 5 available replicas
      And the events of hpa "web" were:
        | time | type   | reason            | message                                                            |
        | +15s | Normal | SuccessfulRescale | New size: 5; reason: Current number of replicas above Spec.MaxReplicas |

    Scenario: an idle target keeps its minimum, and the autoscaler says it is limited
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 3
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: web}
              annotations: {kubespec.io/cpu-usage: 10m}
            spec:
              containers: [{name: app, image: "nginx:1.27", resources: {requests: {cpu: "1"}}}]
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 2
          maxReplicas: 5
          behavior:
            scaleDown: {stabilizationWindowSeconds: 0}
        """
      When 15 seconds pass
      Then horizontal pod autoscaler "web" wants 2 replicas
      And deployment "web" has 2 available replicas
      And the conditions of horizontal pod autoscaler "web" are:
        | type           | status | reason           | message                                                            |
        | AbleToScale    | True   | SucceededRescale | the HPA controller was able to update the target scale to 2        |
        | ScalingActive  | True   | ValidMetricFound | the HPA was able to successfully calculate a replica count from cpu resource utilization (percentage of request) |
        | ScalingLimited | True   | TooFewReplicas   | the desired replica count is less than the minimum replica count   |

  Rule: the autoscaler says why it cannot measure the load

    Scenario: pods without a cpu request cannot be measured against it
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: web}
        spec:
          serviceName: web
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata:
              labels: {app: web}
              annotations: {kubespec.io/cpu-usage: 200m}
            spec:
              containers: [{name: app, image: "nginx:1.27"}]
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: StatefulSet, name: web}
          maxReplicas: 5
        """
      When 15 seconds pass
      Then the events of hpa "web" were:
        | time | type    | reason                       | message                                                                                                                    |
        | +15s | Warning | FailedGetResourceMetric      | failed to get cpu utilization: missing request for cpu in container app of Pod web-0                                       |
        | +15s | Warning | FailedComputeMetricsReplicas | invalid metrics (1 invalid out of 1), first error is: failed to get cpu utilization: missing request for cpu in container app of Pod web-0 |
      And the conditions of horizontal pod autoscaler "web" are:
        | type          | status | reason                  | message                                                                                                          |
        | AbleToScale   | True   | SucceededGetScale       | the HPA controller was able to get the target's current scale                                                    |
        | ScalingActive | False  | FailedGetResourceMetric | the HPA was unable to compute the replica count: failed to get cpu utilization: missing request for cpu in container app of Pod web-0 |

  Rule: memory scales on the average use per pod

    Scenario: pods using 900Mi each against a 500Mi average target double
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: cache}
        spec:
          replicas: 2
          selector: {matchLabels: {app: cache}}
          template:
            metadata:
              labels: {app: cache}
              annotations: {kubespec.io/memory-usage: 900Mi}
            spec:
              containers: [{name: app, image: "redis:7", resources: {requests: {memory: 1Gi}}}]
        ---
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: cache}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: cache}
          maxReplicas: 10
          metrics:
            - type: Resource
              resource: {name: memory, target: {type: AverageValue, averageValue: 500Mi}}
        """
      When 15 seconds pass
      Then horizontal pod autoscaler "cache" wants 4 replicas
      And deployment "cache" has 4 available replicas
      And the events of hpa "cache" were:
        | time | type   | reason            | message                                              |
        | +15s | Normal | SuccessfulRescale | New size: 4; reason: memory resource above target |
      And hpa "cache" has these fields:
        | field                                                  | value     |
        | status.currentMetrics[0].resource.current.averageValue | 943718400 |

  Rule: the API server refuses an autoscaler it could not honour

    Scenario: a maximum below the minimum
      When I try to apply the manifests:
        """
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}
          minReplicas: 3
          maxReplicas: 2
          behavior:
            scaleUp:
              policies: [{type: Pods, value: 0, periodSeconds: 15}]
        """
      Then the manifests are refused with:
        """
        manifests:7: document 1 (HorizontalPodAutoscaler default/web): The HorizontalPodAutoscaler "web" is invalid: spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`
        manifests:10: document 1 (HorizontalPodAutoscaler default/web): The HorizontalPodAutoscaler "web" is invalid: spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero
        """
      And nothing of the refused manifests was applied
