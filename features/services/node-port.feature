# NodePort Services (k8s:pkg/registry/core/service/portallocator/allocator.go, storage/alloc.go initNodePorts)
# and traffic from outside the cluster through a node's port (k8s:pkg/proxy/iptables/proxier.go).
@epic:networking @feature:services
Feature: NodePort Services
  A team exposes a web application on every node's address, on a port of the node port range, so that an
  external load balancer or a curious engineer can reach it. Two Services cannot share a node port.

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
        containers: [{name: app, image: nginx, ports: [{containerPort: 8080}]}]
      """

  Rule: a NodePort Service gets a port from 30000-32767, the one it asks for if it is free

    Scenario: a node port is allocated when the manifest names none
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          type: NodePort
          selector: {app: web}
          ports: [{port: 80, targetPort: 8080}]
        """
      Then service "web" has a node port between 30086 and 32767
      And service "web" has these fields:
        | field                      | value   |
        | spec.externalTrafficPolicy | Cluster |
        | spec.internalTrafficPolicy | Cluster |

    Scenario: the node port asked for is the Service's
      When I apply the manifests:
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          type: NodePort
          selector: {app: web}
          ports: [{port: 80, targetPort: 8080, nodePort: 30080}]
        """
      Then service "web" has node port 30080

    @severity:critical
    Scenario: a node port already in use is refused with the API server's message
      Given the manifests:
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          type: NodePort
          selector: {app: web}
          ports: [{port: 80, targetPort: 8080, nodePort: 30080}]
        """
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Service
        metadata: {name: shop}
        spec:
          type: NodePort
          selector: {app: shop}
          ports: [{port: 80, nodePort: 30080}]
        """
      Then the manifests are refused with:
        """
        manifests:7: document 1 (Service default/shop): The Service "shop" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated
        """
      And nothing of the refused manifests was applied

    Scenario: a node port outside the range is refused
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          type: NodePort
          selector: {app: web}
          ports: [{port: 80, nodePort: 8080}]
        """
      Then the manifests are refused with:
        """
        manifests:7: document 1 (Service default/web): The Service "web" is invalid: spec.ports[0].nodePort: Invalid value: 8080: provided port is not in the valid range. The range of valid ports is 30000-32767
        """

    Scenario: a ClusterIP Service may not ask for a node port
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{port: 80, nodePort: 30080}]
        """
      Then the manifests are refused with:
        """
        manifests:6: document 1 (Service default/web): The Service "web" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'
        """

    Scenario: a refused manifest file leaves its node port free
      When I try to apply the manifests:
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          type: NodePort
          selector: {app: web}
          ports: [{port: 80, nodePort: 30080}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: Bad_Name}
        spec:
          selector: {app: web}
          ports: [{port: 80}]
        """
      And I apply the manifests:
        """
        apiVersion: v1
        kind: Service
        metadata: {name: shop}
        spec:
          type: NodePort
          selector: {app: shop}
          ports: [{port: 80, nodePort: 30080}]
        """
      Then service "shop" has node port 30080

  Rule: traffic to any node's port reaches the Service's pods

    Scenario: from outside the cluster, through the node without the pod
      Given the manifests:
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          type: NodePort
          selector: {app: web}
          ports: [{port: 80, targetPort: 8080, nodePort: 30080}]
        """
      When the cluster reconciles
      And a client outside the cluster connects to node "n2" on port 30080
      Then the connection reaches pod "web-1" on port 8080

    Scenario: a node port no Service has is refused
      When the cluster reconciles
      And a client outside the cluster connects to node "n1" on port 30999
      Then the connection is refused

    Scenario: with externalTrafficPolicy Local, only a node with an endpoint answers
      Given the manifests:
        """
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          type: NodePort
          externalTrafficPolicy: Local
          selector: {app: web}
          ports: [{port: 80, targetPort: 8080, nodePort: 30080}]
        """
      When the cluster reconciles
      And a client outside the cluster connects to node "n1" on port 30080
      Then the connection reaches pod "web-1" on port 8080
      When a client outside the cluster connects to node "n2" on port 30080
      Then the connection times out
