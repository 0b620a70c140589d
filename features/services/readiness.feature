# Readiness and termination as the endpoint controllers see them (k8s:staging/src/k8s.io/endpointslice/utils.go
# podToEndpoint; k8s:pkg/controller/endpoint/endpoints_controller.go) and kube-proxy uses them
# (k8s:pkg/proxy/topology.go CategorizeEndpoints). The pods' readiness and shutdown times come from the kubelet's
# kubespec.io/ready-after and kubespec.io/shutdown-after annotations.
@epic:networking @feature:endpoints
Feature: Readiness and terminating endpoints
  A pod only gets traffic once it is ready, and stops getting new traffic as soon as it starts shutting down,
  while it finishes what it has. When every pod of a Service is shutting down, kube-proxy still uses those
  that serve rather than dropping all traffic.

  Background:
    Given the nodes:
      | name | cpu | memory |
      | n1   | 8   | 16Gi   |
    And the manifests:
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: client}
      spec:
        nodeName: n1
        containers: [{name: shell, image: busybox}]
      """

  Rule: only ready pods get traffic

    @severity:critical
    Scenario: a pod that is not ready yet is listed but gets no traffic, until it turns ready
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-1, labels: {app: web}}
        spec:
          nodeName: n1
          containers: [{name: app, image: nginx, ports: [{containerPort: 8080}]}]
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-2
          labels: {app: web}
          annotations: {kubespec.io/ready-after: 30s}
        spec:
          nodeName: n1
          containers: [{name: app, image: nginx, ports: [{containerPort: 8080}]}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: 8080}]
        """
      When the cluster reconciles
      Then the endpoints of service "web" are "web-1"
      And the Endpoints of service "web" list addresses "web-1" and not-ready addresses "web-2"
      And the endpoint slices of service "web" list:
        | pod   | ready | serving | terminating |
        | web-1 | true  | true    | false       |
        | web-2 | false | false   | false       |
      When pod "client" connects to service "web" on port 80 20 times
      Then every connection reaches pod "web-1"
      When 30 seconds pass
      Then the endpoints of service "web" are "web-1, web-2"
      And the service.endpoints decision about pod "web-2" for service "web" was made by rule "endpoint-conditions/ready"

    Scenario: a Service whose only pod is not ready refuses connections
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-1
          labels: {app: web}
          annotations: {kubespec.io/ready-after: 1m}
        spec:
          nodeName: n1
          containers: [{name: app, image: nginx, ports: [{containerPort: 8080}]}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: 8080}]
        """
      When the cluster reconciles
      And pod "client" connects to service "web" on port 80
      Then the connection is refused
      And the service.endpoints decision about pod "web-1" for service "web" was made by rule "endpoint-conditions/not-ready-or-terminating"

    Scenario: publishNotReadyAddresses makes a pod an endpoint before it is ready
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: db-0
          labels: {app: db}
          annotations: {kubespec.io/ready-after: 1m}
        spec:
          nodeName: n1
          containers: [{name: db, image: postgres, ports: [{containerPort: 5432}]}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: db-peers}
        spec:
          clusterIP: None
          publishNotReadyAddresses: true
          selector: {app: db}
          ports: [{port: 5432}]
        """
      When the cluster reconciles
      Then the endpoint slices of service "db-peers" list:
        | pod  | ready | serving | terminating |
        | db-0 | true  | false   | false       |
      And the Endpoints of service "db-peers" list addresses "db-0" and not-ready addresses "none"
      When pod "client" resolves "db-peers"
      Then the answer lists the addresses of pods "db-0"

    Scenario: a headless Service's name lists only the ready pods
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: db-0, labels: {app: db}}
        spec:
          nodeName: n1
          containers: [{name: db, image: postgres}]
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: db-1
          labels: {app: db}
          annotations: {kubespec.io/ready-after: 1m}
        spec:
          nodeName: n1
          containers: [{name: db, image: postgres}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: db}
        spec:
          clusterIP: None
          selector: {app: db}
          ports: [{port: 5432}]
        """
      When the cluster reconciles
      And pod "client" resolves "db"
      Then the answer lists the addresses of pods "db-0"

  Rule: a terminating pod stops getting new traffic while it shuts down

    Background:
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: web-1
          labels: {app: web}
          annotations: {kubespec.io/shutdown-after: 20s}
        spec:
          nodeName: n1
          containers: [{name: app, image: nginx, ports: [{containerPort: 8080}]}]
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec:
          selector: {app: web}
          ports: [{port: 80, targetPort: 8080}]
        """
      And the cluster reconciles

    @severity:critical
    Scenario: a terminating pod is no ready endpoint, but still serving
      Given the manifests:
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: web-2, labels: {app: web}}
        spec:
          nodeName: n1
          containers: [{name: app, image: nginx, ports: [{containerPort: 8080}]}]
        """
      And the cluster reconciles
      When I delete pod "web-1"
      And the cluster reconciles
      Then pod "web-1" is terminating
      And the endpoints of service "web" are "web-2"
      And the endpoint slices of service "web" list:
        | pod   | ready | serving | terminating |
        | web-1 | false | true    | true        |
        | web-2 | true  | true    | false       |
      And the Endpoints of service "web" list addresses "web-2" and not-ready addresses "none"
      When pod "client" connects to service "web" on port 80 20 times
      Then every connection reaches pod "web-2"

    Scenario: with no ready pod left, traffic still goes to the terminating pod that serves
      When I delete pod "web-1"
      And the cluster reconciles
      And pod "client" connects to service "web" on port 80
      Then the connection reaches pod "web-1" on port 8080
      When 20 seconds pass
      Then pod "web-1" no longer exists
      And the endpoints of service "web" are "none"
      When pod "client" connects to service "web" on port 80
      Then the connection is refused
