# How the API server picks cluster IPs (k8s:pkg/registry/core/service/ipallocator/ipallocator.go
# allocateNextService): a random start in the upper part of the range, the lower part kept for addresses users
# ask for. Kubernetes draws the start at random; kubespec draws it from the scenario's seed.
@epic:networking @feature:services
Feature: Cluster IP allocation
  Platform engineers pin well-known addresses (DNS, ingress) in the low part of the service range and let every
  other Service get one at random. A scenario that checks an address gets the same one on every run.

  Scenario Outline: the address a Service gets depends on the random seed only
    Given the random seed <seed>
    When I apply the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        selector: {app: web}
        ports: [{port: 80}]
      """
    Then service "web" has cluster IP "<address>"

    Examples:
      | seed | address        |
      | 1    | 10.106.112.152 |
      | 7    | 10.98.67.188   |

  Scenario: a small service range runs out, and the API server says so
    Given the service network "10.96.0.0/29"
    When I apply the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: a}
      spec: {selector: {app: a}, ports: [{port: 80}]}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: b}
      spec: {selector: {app: b}, ports: [{port: 80}]}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: c}
      spec: {selector: {app: c}, ports: [{port: 80}]}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: d}
      spec: {selector: {app: d}, ports: [{port: 80}]}
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: e}
      spec: {selector: {app: e}, ports: [{port: 80}]}
      """
    And I try to apply the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: f}
      spec: {selector: {app: f}, ports: [{port: 80}]}
      """
    Then the manifests are refused with:
      """
      manifests:1: document 1 (Service default/f): Internal error occurred: failed to allocate a serviceIP: range is full
      """
