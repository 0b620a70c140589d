# The cluster DNS (CoreDNS's kubernetes plugin, the schema of github.com/kubernetes/dns docs/specification.md) as a
# ClusterFirst pod's resolver asks it: search list <namespace>.svc.cluster.local, svc.cluster.local,
# cluster.local, and ndots:5.
@epic:networking @feature:dns
Feature: Cluster DNS
  Applications find Services by name: the short name within their namespace, name.namespace across namespaces,
  and the fully qualified name anywhere. A name that does not exist says so (NXDOMAIN).

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 8   | 16Gi   |
    And the manifests:
      """
      apiVersion: v1
      kind: Namespace
      metadata: {name: prod}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: web-1, namespace: prod, labels: {app: web}}
      spec:
        nodeName: n1
        containers: [{name: app, image: nginx, ports: [{name: http, containerPort: 8080}]}]
      ---
      apiVersion: v1
      kind: Service
      metadata: {name: web, namespace: prod}
      spec:
        clusterIP: 10.96.0.12
        selector: {app: web}
        ports: [{name: http, port: 80, targetPort: http}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: shell, namespace: prod}
      spec:
        nodeName: n1
        containers: [{name: shell, image: busybox}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: client}
      spec:
        nodeName: n1
        containers: [{name: shell, image: busybox}]
      """
    And the cluster reconciles

  @severity:critical
  Scenario: the fully qualified name answers the cluster IP
    When pod "client" resolves "web.prod.svc.cluster.local"
    Then the answer is "10.96.0.12"

  Scenario Outline: short forms from inside the namespace: <name>
    When pod "prod/shell" resolves "<name>"
    Then the answer is "10.96.0.12"

    Examples:
      | name                        |
      | web                         |
      | web.prod                    |
      | web.prod.svc                |
      | web.prod.svc.cluster.local. |

  Scenario: the API server's Service answers in every namespace as kubernetes.default
    When pod "prod/shell" resolves "kubernetes.default"
    Then the answer is "10.96.0.1"
    When pod "prod/shell" connects to service "kubernetes" on port 443
    Then the connection reaches the API server on port 6443

  Scenario: another namespace needs the namespace in the name
    When pod "client" resolves "web"
    Then the name does not exist
    When pod "client" resolves "web.prod"
    Then the answer is "10.96.0.12"

  Scenario Outline: names that do not exist: <name>
    When pod "client" resolves "<name>"
    Then the name does not exist

    Examples:
      | name                          |
      | shop.prod.svc.cluster.local   |
      | web.staging.svc.cluster.local |
      | web.prod.pod.cluster.local    |
      | a.b.web.prod.svc.cluster.local |
      | www.example.com               |

  Scenario: an SRV record for a named port points at the Service's name
    When pod "client" looks up the SRV records of "_http._tcp.web.prod.svc.cluster.local"
    Then the answer lists the SRV records:
      | priority | weight | port | target                          |
      | 0        | 100    | 80   | web.prod.svc.cluster.local.     |

  Scenario: an SRV lookup of a port the Service does not name does not exist
    When pod "client" looks up the SRV records of "_https._tcp.web.prod.svc.cluster.local"
    Then the name does not exist

  Scenario: a pod's dashed address resolves in its namespace's pod zone
    When pod "client" resolves "10-244-0-2.prod.pod.cluster.local"
    Then the answer is "10.244.0.2"

  Scenario: a pod that does not use the cluster DNS does not find Services
    Given the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: host-dns}
      spec:
        nodeName: n1
        dnsPolicy: Default
        containers: [{name: shell, image: busybox}]
      """
    When the cluster reconciles
    And pod "host-dns" resolves "web.prod.svc.cluster.local"
    Then the name does not exist

  Scenario: a client connects to a Service by its name
    When pod "client" connects to "web.prod" on port 80
    Then the connection reaches pod "prod/web-1" on port 8080

  Scenario: a Service in another namespace selects only pods of its own namespace
    Given the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web-default, labels: {app: web}}
      spec:
        nodeName: n1
        containers: [{name: app, image: nginx, ports: [{name: http, containerPort: 8080}]}]
      """
    When the cluster reconciles
    Then the endpoints of service "prod/web" are "web-1"
