# Services the API server refuses, in its own words (k8s:pkg/apis/core/validation/validation.go ValidateService,
# validateServicePort; names are DNS-1035 labels, ValidateServiceName).
@epic:networking @feature:services
Feature: Invalid Services
  A typo in a Service manifest is caught when it is applied, with the message kubectl would print, instead of a
  Service that silently routes nowhere.

  Scenario Outline: <what> is refused
    When I try to apply the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: <name>}
      spec:
        type: <type>
        selector: {app: <app>}
        ports: [<ports>]
      """
    Then the manifests are refused with:
      """
      <error>
      """

    Examples:
      | what                     | name | type      | app     | ports                                       | error |
      | a port out of range      | web  | ClusterIP | web     | {port: 70000, targetPort: 8080}             | manifests:7: document 1 (Service default/web): The Service "web" is invalid: spec.ports[0].port: Invalid value: 70000: must be between 1 and 65535, inclusive |
      | a bad target port name   | web  | ClusterIP | web     | {port: 80, targetPort: HTTP_port}           | manifests:7: document 1 (Service default/web): The Service "web" is invalid: spec.ports[0].targetPort: Invalid value: "HTTP_port": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-) |
      | a numeric target port in quotes | web | ClusterIP | web | {port: 80, targetPort: "8080"}              | manifests:7: document 1 (Service default/web): The Service "web" is invalid: spec.ports[0].targetPort: Invalid value: "8080": must contain at least one letter (a-z) |
      | an unknown type          | web  | Internal  | web     | {port: 80}                                  | manifests:5: document 1 (Service default/web): The Service "web" is invalid: spec.type: Unsupported value: "Internal": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort" |
      | an unknown protocol      | web  | ClusterIP | web     | {port: 80, protocol: HTTP}                  | manifests:7: document 1 (Service default/web): The Service "web" is invalid: spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP" |
      | a selector value with a space | web | ClusterIP | "web app" | {port: 80}                            | manifests:6: document 1 (Service default/web): The Service "web" is invalid: spec.selector: Invalid value: "web app": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?') |
      | a name that is no DNS-1035 label | 1web | ClusterIP | web | {port: 80}                              | manifests:3: document 1 (Service default/1web): The Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?') |
      | a port that is not a number | web | ClusterIP | web    | {port: http}                                | manifests:7: document 1 (Service default/web): Service in version "v1" cannot be handled as a Service: json: cannot unmarshal string into Go struct field ServicePort.spec.ports.port of type int32 |

  Scenario: several ports must each have a name
    When I try to apply the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        selector: {app: web}
        ports:
          - {port: 80}
          - {port: 443}
      """
    Then the manifests are refused with:
      """
      manifests:7: document 1 (Service default/web): The Service "web" is invalid: spec.ports[0].name: Required value
      manifests:8: document 1 (Service default/web): The Service "web" is invalid: spec.ports[1].name: Required value
      """

  Scenario: a Service needs a port unless it is headless
    When I try to apply the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        selector: {app: web}
      """
    Then the manifests are refused with:
      """
      manifests:4: document 1 (Service default/web): The Service "web" is invalid: spec.ports: Required value
      """

  Scenario: one port number may serve two protocols
    When I apply the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: dns}
      spec:
        selector: {app: dns}
        ports:
          - {name: dns, port: 53, protocol: UDP}
          - {name: dns-tcp, port: 53, protocol: TCP}
      """
    Then service "dns" has these fields:
      | field                  | value |
      | spec.ports[0].protocol | UDP   |
      | spec.ports[1].protocol | TCP   |

  Scenario: a cluster IP cannot change once set
    Given the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        clusterIP: 10.96.0.30
        selector: {app: web}
        ports: [{port: 80}]
      """
    When I try to apply the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        clusterIP: 10.96.0.31
        selector: {app: web}
        ports: [{port: 80}]
      """
    Then the manifests are refused with:
      """
      manifests:4: document 1 (Service default/web): The Service "web" is invalid: spec.clusterIPs[0]: Invalid value: ["10.96.0.31"]: may not change once set
      """

  Scenario: re-applying an unchanged NodePort Service keeps its allocated port
    Given the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web}
      spec:
        type: NodePort
        selector: {app: web}
        ports: [{name: http, port: 80}]
      """
    When I apply the manifests:
      """
      apiVersion: v1
      kind: Service
      metadata: {name: web, labels: {team: shop}}
      spec:
        type: NodePort
        selector: {app: web}
        ports: [{name: http, port: 80}]
      """
    Then service "web" has a node port between 30086 and 32767
