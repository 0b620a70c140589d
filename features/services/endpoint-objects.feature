# The objects the controllers write for a Service: Endpoints (k8s:pkg/controller/endpoint/endpoints_controller.go)
# and EndpointSlices (k8s:staging/src/k8s.io/endpointslice/reconciler.go), as `kubectl get -o yaml` shows them.
@epic:networking @feature:endpoints
Feature: Endpoints and EndpointSlices
  Tools outside kube-proxy read a Service's endpoints from the API: monitoring, service meshes, ingress
  controllers. They see the same objects a real cluster has.

  Background:
    Given the nodes:
      | name | cpu | memory | labels                           |
      | n1   | 8   | 16Gi   | topology.kubernetes.io/zone=az-1 |
    And the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web-1, labels: {app: web}}
      spec:
        nodeName: n1
        containers: [{name: app, image: nginx, ports: [{containerPort: 9376}]}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web, labels: {team: shop}}
      spec:
        selector: {app: web}
        ports: [{port: 80, targetPort: 9376}]
      """
    And the cluster reconciles

  Scenario: the Endpoints object lists the ready pod with its node and the target port
    Then endpoints "web" has these fields:
      | field                                                       | value                |
      | metadata.labels                                             | {"team":"shop"}      |
      | metadata.annotations[endpoints.kubernetes.io/last-change-trigger-time] | 2025-01-01T00:00:00Z |
      | subsets[0].addresses[0].ip                                  | 10.244.0.2           |
      | subsets[0].addresses[0].nodeName                            | n1                   |
      | subsets[0].addresses[0].targetRef.kind                      | Pod                  |
      | subsets[0].addresses[0].targetRef.name                      | web-1                |
      | subsets[0].ports                                            | [{"port":9376,"protocol":"TCP"}] |

  Scenario: the EndpointSlice belongs to the Service and says how ready the endpoint is
    Then the EndpointSlice of service "web" has these fields:
      | field                                                  | value                           |
      | metadata.generateName                                  | web-                            |
      | metadata.labels[kubernetes.io/service-name]            | web                             |
      | metadata.labels[endpointslice.kubernetes.io/managed-by] | endpointslice-controller.k8s.io |
      | metadata.labels[team]                                  | shop                            |
      | metadata.ownerReferences[0].kind                       | Service                         |
      | metadata.ownerReferences[0].name                       | web                             |
      | metadata.ownerReferences[0].controller                 | true                            |
      | metadata.generation                                    | 1                               |
      | addressType                                            | IPv4                            |
      | ports                                                  | [{"name":"","port":9376,"protocol":"TCP"}] |
      | endpoints[0].addresses                                 | ["10.244.0.2"]                  |
      | endpoints[0].conditions                                | {"ready":true,"serving":true,"terminating":false} |
      | endpoints[0].nodeName                                  | n1                              |
      | endpoints[0].zone                                      | az-1                            |
    And the endpoint slices of service "web" list:
      | pod   | ready | serving | terminating |
      | web-1 | true  | true    | false       |

  Scenario: a Service whose pods are gone keeps an empty placeholder slice
    When I force delete pod "web-1"
    And the cluster reconciles
    Then the EndpointSlice of service "web" has these fields:
      | field               | value  |
      | endpoints           | <none> |
      | ports               | <none> |
      | metadata.generation | 2      |
    And endpoints "web" has these fields:
      | field   | value  |
      | subsets | <none> |

  Scenario: a new pod joins the existing slice
    Given the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web-2, labels: {app: web}}
      spec:
        nodeName: n1
        containers: [{name: app, image: nginx, ports: [{containerPort: 9376}]}]
      """
    When the cluster reconciles
    Then the EndpointSlice of service "web" has these fields:
      | field                          | value |
      | metadata.generation            | 2     |
      | endpoints[0].targetRef.name    | web-1 |
      | endpoints[1].targetRef.name    | web-2 |
    And the Endpoints of service "web" list addresses "web-1, web-2" and not-ready addresses "none"

  Scenario: deleting the Service deletes its Endpoints and EndpointSlices
    When I delete service "web"
    And the cluster reconciles
    Then service "web" has no Endpoints object
    And service "web" has no EndpointSlices
    And the endpoints of service "kubernetes" are "172.18.0.1"

  Scenario: the trace shows which rule made a pod an endpoint
    Then the service.endpoints decision about pod "web-1" for service "web" was made by rule "endpoint-conditions/ready"
    And the service.endpoints decision about pod "web-1" for service "web" says "ready endpoint of service default/web (ready: true, serving: true, terminating: false)"
