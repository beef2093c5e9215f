import NIOCore
import Testing
@testable import KafkaProtocol

/// Requests captured from real clients decode to what the clients sent, and re-encode to the same bytes.
@Suite struct GoldenRequestTests {
    func decode(_ name: String) throws -> (RequestHeader, RequestBody) {
        let frame = try Fixtures.load(name)
        return try KafkaFrame.decodeRequest(from: frame)
    }

    @Test func fixturesArePresent() {
        #expect(Fixtures.allNames.count >= 40, "found \(Fixtures.allNames)")
    }

    @Test(arguments: Fixtures.allNames)
    func reencodesToTheSameBytes(name: String) throws {
        let frame = try Fixtures.load(name)
        let (header, body) = try KafkaFrame.decodeRequest(from: frame)
        #expect(body.apiKey.rawValue == header.apiKey)
        #expect(name.contains("_v\(header.apiVersion)_"))
        var out = ByteBuffer()
        header.encode(into: &out)
        var encodedBody = try body.encode(version: header.apiVersion)
        out.writeBuffer(&encodedBody)
        #expect(out == frame, "\(name)")
    }

    @Test func apiVersionsFromEachClient() throws {
        let expected: [(String, String?, String, String)] = [
            ("apiversions_request_v3_kcat.bin", "rdkafka", "librdkafka", "2.0.2"),
            ("apiversions_request_v3_confluent.bin", "golden-confluent", "confluent-kafka-python", "2.16.1-rdkafka-2.16.0"),
            ("apiversions_request_v4_kafkapython.bin", "golden-kafka-python", "kafka-python", "3.0.12"),
            ("apiversions_request_v0_aiokafka.bin", "golden-aiokafka", "", ""),
        ]
        for (name, clientId, software, version) in expected {
            let (header, body) = try decode(name)
            #expect(header.clientId == clientId)
            guard case .apiVersions(let r) = body else { Issue.record("\(name) is not ApiVersions"); continue }
            #expect(r.clientSoftwareName == software)
            #expect(r.clientSoftwareVersion == version)
        }
    }

    @Test func metadataRequests() throws {
        guard case .metadata(let confluent) = try decode("metadata_request_v12_confluent.bin").1,
              case .metadata(let kafkaPython) = try decode("metadata_request_v12_kafkapython.bin").1,
              case .metadata(let kcat) = try decode("metadata_request_v4_kcat.bin").1,
              case .metadata(let aiokafka) = try decode("metadata_request_v5_aiokafka.bin").1
        else { Issue.record("not Metadata"); return }
        #expect(confluent.topics?.map(\.name) == ["golden"])
        #expect(confluent.topics?.first?.topicId == .zero)
        #expect(kafkaPython.topics?.isEmpty == true)
        #expect(kcat.topics?.isEmpty == true)  // librdkafka's first, brokers-only refresh
        #expect(kcat.allowAutoTopicCreation == false)
        #expect(aiokafka.topics?.isEmpty == true)
        #expect(aiokafka.allowAutoTopicCreation == true)
    }

    @Test func produceRequestsCarryOneRealRecordBatch() throws {
        for name in ["produce_request_v7_kcat.bin", "produce_request_v10_confluent.bin",
                     "produce_request_v9_kafkapython.bin", "produce_request_v7_aiokafka.bin"] {
            guard case .produce(let request) = try decode(name).1 else { Issue.record("\(name) not Produce"); continue }
            #expect(request.topicData.map(\.name) == ["golden"], "\(name)")
            let partition = try #require(request.topicData.first?.partitionData.first)
            #expect(partition.index == 0)
            let records = try #require(partition.records)
            let batches = try RecordBatches.split(records)
            #expect(batches.count == 1, "\(name)")
            let batch = try #require(batches.first)
            #expect(batch.isCRCValid, "\(name)")
            #expect(batch.header.recordCount == 1)
            #expect(batch.header.compressionCodec == 0)
            let record = try #require(try batch.records().first)
            #expect(record.key == ByteBuffer(string: "k1"), "\(name)")
            #expect(record.value == ByteBuffer(string: "hello"), "\(name)")
            #expect(record.headers == [RecordHeader(key: "h1", value: ByteBuffer(string: "v1"))], "\(name)")
        }
        // kafka-python is idempotent by default: its batch carries the producer id it was given.
        guard case .produce(let idempotent) = try decode("produce_request_v9_kafkapython.bin").1 else { return }
        #expect(idempotent.acks == -1)
        let batch = try RecordBatch(idempotent.topicData[0].partitionData[0].records!)
        #expect(batch.header.producerId == 1000)
        #expect(batch.header.producerEpoch == 0)
        #expect(batch.header.baseSequence == 0)
    }

    @Test func produceRecordsAreSlicesOfTheFrameNotCopies() throws {
        let frame = try Fixtures.load("produce_request_v10_confluent.bin")
        guard case .produce(let request) = try KafkaFrame.decodeRequest(from: frame).1 else { return }
        let records = try #require(request.topicData[0].partitionData[0].records)
        let sameStorage = frame.withUnsafeReadableBytes { f in
            records.withUnsafeReadableBytes { r in
                r.baseAddress! >= f.baseAddress! && r.baseAddress! + r.count <= f.baseAddress! + f.count
            }
        }
        #expect(sameStorage)
    }

    @Test func fetchAndListOffsetsRequests() throws {
        guard case .fetch(let kcat) = try decode("fetch_request_v11_kcat.bin").1,
              case .fetch(let confluent) = try decode("fetch_request_v16_confluent.bin").1
        else { Issue.record("not Fetch"); return }
        #expect(kcat.topics.map(\.topic) == ["golden"])
        #expect(kcat.replicaId == -1)
        #expect(kcat.maxWaitMs == 500)
        #expect(confluent.topics.first?.topicId == Uuid(high: 0x1111_1111_1111_1111, low: 0x1111_1111_1111_1111))
        #expect(confluent.topics.first?.partitions.first?.fetchOffset == 0)
        guard case .listOffsets(let lo) = try decode("listoffsets_request_v7_confluent.bin").1 else { return }
        #expect(lo.topics.first?.partitions.first?.timestamp == -2)  // earliest
        #expect(lo.isolationLevel == 1)
    }

    @Test func groupRequests() throws {
        guard case .findCoordinator(let v5) = try decode("findcoordinator_request_v5_kafkapython.bin").1,
              case .findCoordinator(let v2) = try decode("findcoordinator_request_v2_confluent.bin").1
        else { Issue.record("not FindCoordinator"); return }
        #expect(v5.coordinatorKeys == ["g"])
        #expect(v2.key == "g")
        guard case .joinGroup(let join) = try decode("joingroup_request_v7_kafkapython.bin").1 else { return }
        #expect(join.groupId == "g")
        #expect(join.protocolType == "consumer")
        #expect(join.protocols.map(\.name) == ["range", "roundrobin"])
        #expect(join.sessionTimeoutMs == 45_000)
        guard case .initProducerId(let ipi) = try decode("initproducerid_request_v4_kafkapython.bin").1 else { return }
        #expect(ipi.transactionalId == nil)
        #expect(ipi.producerId == -1)
    }

    @Test func adminRequests() throws {
        guard case .createTopics(let create) = try decode("createtopics_request_v7_kafkapython.bin").1 else {
            Issue.record("not CreateTopics"); return
        }
        let topic = try #require(create.topics.first)
        #expect(topic.name == "t1")
        #expect(topic.numPartitions == 3)
        #expect(topic.replicationFactor == 1)
        #expect(topic.configs.map(\.name) == ["retention.ms"])
        #expect(topic.configs.first?.value == "1000")
        guard case .createTopics(let createV4) = try decode("createtopics_request_v4_confluent.bin").1 else { return }
        #expect(createV4.topics.map(\.numPartitions) == [3])

        guard case .deleteTopics(let deleteV6) = try decode("deletetopics_request_v6_kafkapython.bin").1,
              case .deleteTopics(let deleteV4) = try decode("deletetopics_request_v4_confluent.bin").1
        else { Issue.record("not DeleteTopics"); return }
        #expect(deleteV6.topics.map(\.name) == ["t1"])
        #expect(deleteV4.topicNames == ["t1"])

        guard case .describeConfigs(let configs) = try decode("describeconfigs_request_v4_kafkapython.bin").1 else { return }
        #expect(configs.resources.first?.resourceType == 2)  // topic
        #expect(configs.resources.first?.resourceName == "golden")

        guard case .incrementalAlterConfigs(let alter) = try decode("incrementalalterconfigs_request_v1_confluent.bin").1
        else { Issue.record("not IncrementalAlterConfigs"); return }
        let entry = try #require(alter.resources.first?.configs.first)
        #expect(entry.name == "retention.ms")
        #expect(entry.configOperation == 0)  // SET
        #expect(entry.value == "5000")

        guard case .createPartitions(let partitions) = try decode("createpartitions_request_v3_kafkapython.bin").1 else { return }
        #expect(partitions.topics.first?.count == 4)
        guard case .deleteRecords(let deleteRecords) = try decode("deleterecords_request_v2_kafkapython.bin").1 else { return }
        #expect(deleteRecords.topics.first?.partitions.first?.offset == 5)
        guard case .offsetDelete(let offsetDelete) = try decode("offsetdelete_request_v0_kafkapython.bin").1 else { return }
        #expect(offsetDelete.groupId == "g")
        guard case .deleteGroups(let deleteGroups) = try decode("deletegroups_request_v2_confluent.bin").1 else { return }
        #expect(deleteGroups.groupsNames == ["g"])
        guard case .describeGroups(let describe) = try decode("describegroups_request_v5_kafkapython.bin").1 else { return }
        #expect(describe.groups == ["g"])
    }

    @Test(arguments: [("gzip", 1), ("snappy", 2), ("lz4", 3), ("zstd", 4)])
    func compressedBatchesFromRealProducers(codec: String, number: Int) throws {
        for client in ["v10_confluent", "v9_kafkapython"] {
            let name = "produce_request_\(client)\(codec).bin"
            guard case .produce(let request) = try decode(name).1 else { Issue.record("\(name) not Produce"); continue }
            let records = try #require(request.topicData.first?.partitionData.first?.records)
            var values: [ByteBuffer?] = []
            var keys: [ByteBuffer?] = []
            for batch in try RecordBatches.split(records) {
                #expect(batch.header.compressionCodec == number, "\(name)")
                try batch.validateRecords()
                for record in try batch.records() {
                    keys.append(record.key)
                    values.append(record.value)
                }
            }
            #expect(keys == (0..<20).map { ByteBuffer(string: "k\($0)") }, "\(name)")
            #expect(values == (0..<20).map { ByteBuffer(string: "hello hello hello \($0)") }, "\(name)")
        }
    }
}
