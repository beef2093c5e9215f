import KafkaProtocol

extension Broker {
    /// The version ranges of every API we serve, straight from `ApiKey.versions`.
    func apiVersionsResponse() -> ApiVersionsResponse {
        var response = ApiVersionsResponse()
        response.apiKeys = ApiKey.allCases.map {
            ApiVersionsResponse.ApiVersion(apiKey: $0.rawValue, minVersion: $0.versions.min, maxVersion: $0.versions.max)
        }
        return response
    }

    func handleApiVersions(_ request: ApiVersionsRequest, _ ctx: RequestContext) {
        ctx.reply(apiVersionsResponse())
    }
}
