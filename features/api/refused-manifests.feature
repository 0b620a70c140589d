# How kubectl and the API server refuse a broken manifest. The field errors and their order come from
# k8s:pkg/apis/core/validation/validation.go (ValidatePodSpec, validateResourceRequirements, ValidateTolerations,
# ValidateNodeSelector), their wording from k8s:staging/src/k8s.io/apimachinery/pkg/util/validation/field/errors.go
# and k8s:staging/src/k8s.io/apimachinery/pkg/api/errors/errors.go, and "The Pod ... is invalid" from kubectl
# (k8s:staging/src/k8s.io/kubectl/pkg/cmd/util/helpers.go). Each problem names the file, the line of the
# offending field and the document.
@epic:api @feature:validation
Feature: Broken manifests are refused in the API server's words
  A reviewer wants to see a broken manifest refused exactly as `kubectl apply` would refuse it, pointing at
  the line to fix, and wants a refused file to leave nothing behind: not the documents before the broken one,
  not an event.

  Rule: object names follow the rules of their kind

    @severity:critical
    Scenario: a pod name with capital letters is refused
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: Web
        spec:
          containers: [{name: app, image: nginx}]
        """
      Then the manifests are refused with:
        """
        manifests:4: document 1 (Pod default/Web): The Pod "Web" is invalid: metadata.name: Invalid value: "Web": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')
        """
      And nothing of the refused manifests was applied

    Scenario: a namespace name is a DNS label, so it may not contain dots
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: team.payments
        """
      Then the manifests are refused with:
        """
        manifests:4: document 1 (Namespace team.payments): The Namespace "team.payments" is invalid: metadata.name: Invalid value: "team.payments": must not contain dots
        """

    Scenario: a pod name may contain dots
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web.v2}
        spec:
          containers: [{name: app, image: nginx}]
        """
      Then pod "web.v2" has phase "Pending"

    Scenario: a manifest without a name is refused before anything is sent
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          generateName: web-
        spec:
          containers: [{name: app, image: nginx}]
        """
      Then the manifests are refused with:
        """
        manifests:3: document 1 (Pod default/web-): resource name may not be empty
        """

  Rule: kubectl must know the kind and its API version

    Scenario: an unknown kind
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Foo
        metadata: {name: web}
        """
      Then the manifests are refused with:
        """
        manifests:2: document 1: no matches for kind "Foo" in version "v1"
        """

    Scenario: a known kind under the wrong API version
      When I try to apply the manifests:
        """
        apiVersion: apps/v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      Then the manifests are refused with:
        """
        manifests:2: document 1: no matches for kind "Pod" in version "apps/v1"
        """

    Scenario: a document with neither apiVersion nor kind
      When I try to apply the manifests:
        """
        metadata: {name: web}
        spec:
          containers: [{name: app, image: nginx}]
        """
      Then the manifests are refused with:
        """
        manifests:1: document 1: error validating data: [apiVersion not set, kind not set]
        """

    Scenario: a document that is not an object at all
      When I try to apply the manifests:
        """
        - apiVersion: v1
          kind: Pod
        """
      Then the manifests are refused with:
        """
        manifests:1: document 1: error validating data: invalid object to validate
        """

  Rule: a quantity that does not parse fails the whole request, as decoding does

    Scenario: a CPU request that is not a number
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - name: app
              image: nginx
              resources:
                requests:
                  cpu: abc
        """
      Then the manifests are refused with:
        """
        manifests:10: document 1 (Pod default/web): Pod in version "v1" cannot be handled as a Pod: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'
        """

    Scenario: a kilobyte written with a capital K
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - name: app
              image: nginx
              resources:
                limits:
                  memory: 1K
        """
      Then the manifests are refused with:
        """
        manifests:10: document 1 (Pod default/web): Pod in version "v1" cannot be handled as a Pod: unable to parse quantity's suffix
        """

  Rule: resources, tolerations and node selection are checked field by field

    Scenario: a request above its limit
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers:
            - name: app
              image: nginx
              resources:
                requests: {cpu: "2"}
                limits: {cpu: "1"}
        """
      Then the manifests are refused with:
        """
        manifests:9: document 1 (Pod default/web): The Pod "web" is invalid: spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1
        """

    Scenario: half a GPU
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: trainer}
        spec:
          containers:
            - name: train
              image: pytorch
              resources:
                limits: {nvidia.com/gpu: 0.5}
        """
      Then the manifests are refused with:
        """
        manifests:9: document 1 (Pod default/trainer): The Pod "trainer" is invalid: spec.containers[0].resources.limits[nvidia.com/gpu]: Invalid value: resource.Quantity{i:resource.int64Amount{value:5, scale:-1}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"", Format:"DecimalSI"}: must be an integer
        manifests:8: document 1 (Pod default/trainer): The Pod "trainer" is invalid: spec.containers[0].resources.requests[nvidia.com/gpu]: Invalid value: resource.Quantity{i:resource.int64Amount{value:5, scale:-1}, d:resource.infDecAmount{Dec:(*inf.Dec)(nil)}, s:"", Format:"DecimalSI"}: must be an integer
        """

    Scenario: a toleration of every key must use Exists
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          tolerations:
            - {key: "", operator: Equal, value: gpu}
          containers: [{name: app, image: nginx}]
        """
      Then the manifests are refused with:
        """
        manifests:6: document 1 (Pod default/web): The Pod "web" is invalid: spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"
        """

    Scenario: an Exists toleration with a value
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          tolerations:
            - {key: dedicated, operator: Exists, value: gpu, effect: NoSchedule}
          containers: [{name: app, image: nginx}]
        """
      Then the manifests are refused with:
        """
        manifests:6: document 1 (Pod default/web): The Pod "web" is invalid: spec.tolerations[0].operator: Invalid value: "gpu": value must be empty when `operator` is 'Exists'
        """

    Scenario: a node affinity operator Kubernetes does not know
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                  - matchExpressions:
                      - key: disktype
                        operator: Equals
                        values: [ssd]
          containers: [{name: app, image: nginx}]
        """
      Then the manifests are refused with:
        """
        manifests:11: document 1 (Pod default/web): The Pod "web" is invalid: spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator
        """

    Scenario: a nodeSelector value with a space
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          nodeSelector:
            disktype: fast ssd
          containers: [{name: app, image: nginx}]
        """
      Then the manifests are refused with:
        """
        manifests:5: document 1 (Pod default/web): The Pod "web" is invalid: spec.nodeSelector: Invalid value: "fast ssd": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')
        """

  Rule: every problem of a file is reported, and a refused file leaves nothing behind

    @severity:critical
    Scenario: two broken pods after a good one
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {mode: fast}
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: prod}
        spec:
          containers: [{name: app, image: nginx}]
        ---
        apiVersion: v1
        kind: Pod
        metadata: {name: api}
        spec:
          restartPolicy: Sometimes
          containers:
            - name: app
              image: nginx
              ports: [{containerPort: 70000}]
        """
      Then the manifests are refused with:
        """
        manifests:8: document 2 (Pod prod/web): namespaces "prod" not found
        manifests:20: document 3 (Pod default/api): The Pod "api" is invalid: spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive
        manifests:16: document 3 (Pod default/api): The Pod "api" is invalid: spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"
        """
      And nothing of the refused manifests was applied

  Rule: a file that is not YAML is refused with the line of the error

    Scenario: a key indented too far
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
         labels: {app: web}
        """
      Then the manifests are refused with:
        """
        manifests:5: error converting YAML to JSON: bad indentation of a mapping entry
        """
