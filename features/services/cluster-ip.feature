# ClusterIP Services (k8s:pkg/registry/core/service/storage/alloc.go, ipallocator/ipallocator.go) and how kube-proxy
# sends their traffic to the pods they select (k8s:pkg/proxy/iptables/proxier.go).
@epic:networking @feature:services
Feature: ClusterIP Services
  A team exposes its web pods inside the cluster through a Service. Clients use the Service's stable virtual
  address and port; kube-proxy sends each connection to one of the ready pods, on the port the pods listen on.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 4   | 8Gi    |
      | n2   | 4   | 8Gi    |
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
      kind: Pod
      metadata: {name: web-2, labels: {app: web}}
      spec:
        nodeName: n2
        containers: [{name: app, image: nginx, ports: [{containerPort: 9376}]}]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: client}
      spec:
        nodeName: n1
        containers: [{name: shell, image: busybox}]
      """

  Rule: a Service gets an address from the service range, the first one belonging to the API server

    Scenario: the kubernetes Service of a fresh cluster
      Then service "kubernetes" has cluster IP "10.96.0.1"
      And service "kubernetes" has these fields:
        | field                        | value       |
        | metadata.labels[component]   | apiserver   |
        | metadata.labels[provider]    | kubernetes  |
        | spec.ports[0].name           | https       |
        | spec.ports[0].port           | 443         |
        | spec.ports[0].targetPort     | 6443        |
        | spec.ipFamilies              | ["IPv4"]    |
        | spec.ipFamilyPolicy          | SingleStack |
        | spec.internalTrafficPolicy   | Cluster     |
      And the endpoints of service "kubernetes" are "172.18.0.1"

    Scenario: a cluster IP asked for in the manifest is the Service's
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          clusterIP: 10.96.0.12
          selector: {app: web}
          ports: [{port: 80, targetPort: 9376}]
        """
      Then service "web" has cluster IP "10.96.0.12"
      And service "web" has these fields:
        | field                      | value               |
        | spec.clusterIPs            | ["10.96.0.12"]      |
        | spec.type                  | ClusterIP           |
        | spec.sessionAffinity       | None                |
        | spec.ports[0].protocol     | TCP                 |
        | spec.ports[0].targetPort   | 9376                |
        | spec.internalTrafficPolicy | Cluster             |
        | status                     | {"loadBalancer":{}} |

    @severity:critical
    Scenario: an address already taken is refused with the API server's message
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          clusterIP: 10.96.0.1
          selector: {app: web}
          ports: [{port: 80}]
        """
      Then the manifests are refused with:
        """
        manifests:4: document 1 (Service default/web): The Service "web" is invalid: spec.clusterIPs: Invalid value: ["10.96.0.1"]: failed to allocate IP 10.96.0.1: provided IP is already allocated
        """

    Scenario: an address outside the service range is refused
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          clusterIP: 192.168.10.10
          selector: {app: web}
          ports: [{port: 80}]
        """
      Then the manifests are refused with:
        """
        manifests:4: document 1 (Service default/web): The Service "web" is invalid: spec.clusterIPs: Invalid value: ["192.168.10.10"]: failed to allocate IP 192.168.10.10: the provided network does not match the current range
        """

    Scenario: the address of a deleted Service can be taken again
      Given the manifests:
        """
        apiVersion: v1
        kind: Service
        metadata: {name: old}
        spec:
          clusterIP: 10.96.0.20
          selector: {app: web}
          ports: [{port: 80}]
        """
      When I delete service "old"
      And I apply the manifests:
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          clusterIP: 10.96.0.20
          selector: {app: web}
          ports: [{port: 80}]
        """
      Then service "web" has cluster IP "10.96.0.20"

  Rule: a connection to the Service reaches one of its ready pods on the target port

    Background:
      Given the manifests:
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          clusterIP: 10.96.0.12
          selector: {app: web}
          ports: [{port: 80, targetPort: 9376}]
        """
      And the cluster reconciles

    @severity:critical
    Scenario: the Service's endpoints are the pods it selects
      Then the endpoints of service "web" are "web-1, web-2"
      When pod "client" connects to service "web" on port 80
      Then the connection reaches a pod matching "app=web" on port 9376

    Scenario: a connection to the cluster IP itself is the same
      When pod "client" connects to "10.96.0.12" on port 80
      Then the connection reaches a pod matching "app=web" on port 9376

    Scenario: connections are spread evenly over the endpoints
      When pod "client" connects to service "web" on port 80 200 times
      Then the connections are spread evenly over pods "web-1, web-2", each getting 80 to 120 of them

    Scenario: a deleted pod stops being an endpoint
      When I force delete pod "web-2"
      And the cluster reconciles
      Then the endpoints of service "web" are "web-1"
      When pod "client" connects to service "web" on port 80
      Then the connection reaches pod "web-1" on port 9376

    Scenario: a Service whose pods are all gone refuses connections
      When I force delete pod "web-1"
      And I force delete pod "web-2"
      And the cluster reconciles
      Then the endpoints of service "web" are "none"
      When pod "client" connects to service "web" on port 80
      Then the connection is refused

    Scenario: a port the Service does not have matches no rule, and the connection times out
      When pod "client" connects to service "web" on port 443
      Then the connection times out
