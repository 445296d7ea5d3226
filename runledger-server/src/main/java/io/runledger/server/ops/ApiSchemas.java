package io.runledger.server.ops;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.runledger.server.http.Paths;
import java.util.Map;

/**
 * The named schemas of the OpenAPI document (components) for the orchestration resources, and
 * which operation answers which of them. Field lists are {@code name:type}; a type starting
 * with {@code #} references another schema.
 */
final class ApiSchemas {
    static final String RETRY_POLICY = "RetryPolicy";
    static final String WAITPOINT_REF = "WaitpointRef";

    private static final Map<String, String> SCHEMAS = Map.of(
            RETRY_POLICY, "initialDelaySeconds:number,maxDelaySeconds:number,factor:number,jitter:number",
            WAITPOINT_REF, "kind:string,seconds:number,until:string,waitpointId:string,runId:string,batchId:string",
            "WaitResult", "waitpointId:string,kind:string,status:string,data:any",
            "Waitpoint", "waitpointId:string,scope:string,kind:string,status:string,data:any,runId:string,"
                    + "targetRunId:string,targetBatchId:string,resumeAt:string,expiresAt:string,"
                    + "idempotencyKey:string,tags:array,createdAt:string,completedAt:string,callbackUrl:string",
            "WaitpointPage", "items:array#Waitpoint,nextCursor:string",
            "StepRecord", "step:string,output:any,attempt:integer,seq:integer,createdAt:string,replayed:boolean",
            "StepPage", "items:array#StepRecord,nextAfter:integer",
            "SuspendResult", "suspended:boolean,results:array#WaitResult",
            "Receipt", "runId:string,scope:string,service:string,status:string,commandId:string,"
                    + "correlationId:string,createdAt:string,links:object");

    /** Which schema an operation ({@code method path}) answers on success. */
    static final Map<String, String> ANSWERS = Map.of(
            "post " + Paths.WAITPOINTS, "Waitpoint",
            "get " + Paths.WAITPOINTS, "WaitpointPage",
            "get " + Paths.WAITPOINT, "Waitpoint",
            "post " + Paths.WAITPOINT_COMPLETE, "Waitpoint",
            "post " + Paths.CALLBACK, "Waitpoint",
            "post " + Paths.RUN_SUSPEND, "SuspendResult",
            "post " + Paths.RUN_STEP, "StepRecord",
            "get " + Paths.RUN_STEPS, "StepPage",
            "post " + Paths.RUN_CHILDREN, "Receipt",
            "post " + Paths.RUN_REPLAY, "Receipt");

    private ApiSchemas() {
    }

    static void addTo(ObjectNode schemas) {
        SCHEMAS.forEach((name, fields) -> {
            ObjectNode s = schemas.putObject(name).put("type", "object");
            fields(s.putObject("properties"), fields);
        });
        ((ObjectNode) schemas.get(RETRY_POLICY)).put("additionalProperties", false);
        ObjectNode ref = (ObjectNode) schemas.get(WAITPOINT_REF);
        ref.put("additionalProperties", false).putArray("required").add("kind");
        ArrayNode kinds = ((ObjectNode) ref.get("properties").get("kind")).putArray("enum");
        for (String kind : new String[] {"duration", "token", "run", "batch"}) {
            kinds.add(kind);
        }
    }

    /** Properties from {@code name:type} pairs; {@code any} leaves the type open. */
    static void fields(ObjectNode props, String fields) {
        for (String field : fields.split(",")) {
            String[] nt = field.split(":");
            ObjectNode p = props.putObject(nt[0]);
            String type = nt[1];
            if (type.startsWith("#")) {
                p.put("$ref", ref(type.substring(1)));
            } else if (type.startsWith("array#")) {
                p.put("type", "array").putObject("items").put("$ref", ref(type.substring("array#".length())));
            } else if (!type.equals("any")) {
                p.put("type", type);
            }
        }
    }

    static String ref(String name) {
        return "#/components/schemas/" + name;
    }
}
