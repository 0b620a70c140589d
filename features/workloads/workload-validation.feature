# What the API server refuses in StatefulSets, DaemonSets and Jobs, in its own words
# (k8s:pkg/apis/apps/validation/validation.go, k8s:pkg/apis/batch/validation/validation.go). Values that are maps or
# structs are printed as JSON from v1.34 and with Go's %#v before (kubernetes/kubernetes#132314).
@epic:workloads @feature:workload-validation
Feature: The API server refuses workload manifests it could not run, and says why
  Whoever writes a StatefulSet, a DaemonSet or a Job gets kubectl's answer at once: a selector that misses the
  template's labels, a restart policy the controller cannot use, a field that may not change.

  Rule: a StatefulSet's selector must select its template, and its pods must always restart

    Scenario: a selector that does not select the template's labels
      When I try to apply the manifests:
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: postgres}}
            spec:
              containers: [{name: postgres, image: "postgres:16"}]
        """
      Then the manifests are refused with:
        """
        manifests:8: document 1 (StatefulSet default/db): The StatefulSet "db" is invalid: spec.template.metadata.labels: Invalid value: {"app":"postgres"}: `selector` does not match template `labels`
        """
      And nothing of the refused manifests was applied

    Scenario: a v1.33 API server prints the labels the Go way
      Given a Kubernetes v1.33 cluster
      When I try to apply the manifests:
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {tier: data, app: postgres}}
            spec:
              containers: [{name: postgres, image: "postgres:16"}]
        """
      Then the manifests are refused with:
        """
        manifests:8: document 1 (StatefulSet default/db): The StatefulSet "db" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"postgres", "tier":"data"}: `selector` does not match template `labels`
        """

    Scenario: a StatefulSet's pods must always restart
      When I try to apply the manifests:
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              restartPolicy: OnFailure
              containers: [{name: postgres, image: "postgres:16"}]
        """
      Then the manifests are refused with:
        """
        manifests:10: document 1 (StatefulSet default/db): The StatefulSet "db" is invalid: spec.template.spec.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"
        """

    Scenario: a StatefulSet's name becomes its pods' hostnames, so it may not contain dots
      When I try to apply the manifests:
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db.primary}
        spec:
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              containers: [{name: postgres, image: "postgres:16"}]
        """
      Then the manifests are refused with:
        """
        manifests:3: document 1 (StatefulSet default/db.primary): The StatefulSet "db.primary" is invalid: metadata.name: Invalid value: "db.primary": must not contain dots
        """

    Scenario: only some fields of a StatefulSet's spec may change
      Given the manifests:
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: db
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              containers: [{name: postgres, image: "postgres:16"}]
        """
      When I try to apply the manifests:
        """
        apiVersion: apps/v1
        kind: StatefulSet
        metadata: {name: db}
        spec:
          serviceName: postgres
          selector: {matchLabels: {app: db}}
          template:
            metadata: {labels: {app: db}}
            spec:
              containers: [{name: postgres, image: "postgres:16"}]
        """
      Then the manifests are refused with:
        """
        manifests:4: document 1 (StatefulSet default/db): The StatefulSet "db" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden
        """

  Rule: a DaemonSet needs a selector that selects its template, and one way to roll out

    Scenario: a DaemonSet whose selector misses its template
      When I try to apply the manifests:
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          template:
            metadata: {labels: {app: logs}}
            spec:
              containers: [{name: fluent-bit, image: "fluent/fluent-bit:3.1"}]
        """
      Then the manifests are refused with:
        """
        manifests:7: document 1 (DaemonSet default/agent): The DaemonSet "agent" is invalid: spec.template.metadata.labels: Invalid value: {"app":"logs"}: `selector` does not match template `labels`
        """

    Scenario: an empty selector, printed the Go way by a v1.33 API server
      Given a Kubernetes v1.33 cluster
      When I try to apply the manifests:
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {}
          template:
            metadata: {labels: {app: agent}}
            spec:
              containers: [{name: fluent-bit, image: "fluent/fluent-bit:3.1"}]
        """
      Then the manifests are refused with:
        """
        manifests:5: document 1 (DaemonSet default/agent): The DaemonSet "agent" is invalid: spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for daemonset
        """

    Scenario: a rolling update may surge or leave nodes unavailable, not both
      When I try to apply the manifests:
        """
        apiVersion: apps/v1
        kind: DaemonSet
        metadata: {name: agent}
        spec:
          selector: {matchLabels: {app: agent}}
          updateStrategy:
            rollingUpdate: {maxUnavailable: 1, maxSurge: 1}
          template:
            metadata: {labels: {app: agent}}
            spec:
              containers: [{name: fluent-bit, image: "fluent/fluent-bit:3.1"}]
        """
      Then the manifests are refused with:
        """
        manifests:7: document 1 (DaemonSet default/agent): The DaemonSet "agent" is invalid: spec.updateStrategy.rollingUpdate.maxSurge: Invalid value: 1: may not be set when maxUnavailable is non-zero
        """

  Rule: a Job's pods restart OnFailure or Never, and its template may not change

    @severity:critical
    Scenario: a Job without a restart policy gets Always, which a Job cannot use
      When I try to apply the manifests:
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: pi}
        spec:
          template:
            spec:
              containers: [{name: pi, image: "perl:5.34"}]
        """
      Then the manifests are refused with:
        """
        manifests:6: document 1 (Job default/pi): The Job "pi" is invalid: spec.template.spec.restartPolicy: Required value: valid values: "OnFailure", "Never"
        """

    Scenario: a negative backoff limit
      When I try to apply the manifests:
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: pi}
        spec:
          backoffLimit: -1
          template:
            spec:
              restartPolicy: Never
              containers: [{name: pi, image: "perl:5.34"}]
        """
      Then the manifests are refused with:
        """
        manifests:5: document 1 (Job default/pi): The Job "pi" is invalid: spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0
        """

    Scenario: an Indexed Job needs its completions
      When I try to apply the manifests:
        """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: shard}
        spec:
          parallelism: 3
          completionMode: Indexed
          template:
            spec:
              restartPolicy: Never
              containers: [{name: worker, image: "busybox:1.36"}]
        """
      Then the manifests are refused with:
        """
        manifests:4: document 1 (Job default/shard): The Job "shard" is invalid: spec.completions: Required value: when completion mode is Indexed
        """
