import Columnar
import Testing

@testable import Engine

/// The digests behind `md5`, `sha1` and `sha2`, at the lengths where padding spills into another
/// block (55/56 bytes for 64-byte blocks, 111/112 for 128-byte blocks). Expected values are
/// Python hashlib's for the same bytes.
struct DigestTests {
    static let vectors: [(Int, String, String, String, String, String, String)] = [
        (0, "d41d8cd98f00b204e9800998ecf8427e", "da39a3ee5e6b4b0d3255bfef95601890afd80709", "d14a028c2a3a2bc9476102bb288234c415a2b01f828ea62ac5b3e42f", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b", "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"),
        (3, "eb1c1c0a1baa4f725055e88c48ba44b6", "29c4bb974bf7a401e2e225f0f9d7ab5e498cc742", "d80e722c074b4d4b78c354d78dfb4a72e203ec7381cc62be837fe11b", "ce562c676ea7aba9812f54db146b0096011bf3e423edfb0a6f8fb2b02674a801", "7a9b2c118a26b7b14a23882da1311cad684b5e9c65ebcfe3f7e3b5d7f035d99817c0c88c6612be576ab30e52c8fee606", "e3e811b3993a662d9b9b625208626836ec682ab11e6b6691fec762b3a54aad3e08f3e7eaed4584327de1168621179af623bbe26acb907d3279c7ad14e1a4e97e"),
        (55, "8c3eb046bcdb1f0ffe75fdbaf890cf13", "04bb34aef4880b625e6b1564a014abd25fc02bfe", "4536f7e80b16d78a4bb94614bc8c56efeba723f643ab709b34105e29", "16fa57a0a3423a715d594516339f36189d6b5f93754a9714fef202616a9fabfe", "ff8841d726616b455ec2dae8d7c8e2c8cf99208168fba76f636d37316581231c5c4bad7b7c30d54db5d1a858eda65925", "44f6d40f3dc121a98043a1771d55650d64a6f196078beedd9c6ca6fe7301166688bf9b5cb4c5057df7345665ef7f1a4ffddd0743615d9ececca811d304e2afd3"),
        (56, "d5e0fa3122448ddd3d843a9c5ed9e839", "83b9fcb6d3e3b20f376ab989a1b6353bcc6c0f44", "ffa2976feb279be945a932fbc6b08536b606ba124d8f7c0cc4d5ca68", "c37b44e5f1b18554b36966f4f8e08bfbf3164c4b6c10374d12d89850892073c5", "db60c1dfcf1e0fbf11157241d928fa48064fab5219bce456031fd0eaa62f2281ca2d2b81c53726ff9d5a683f26829223", "acf4d3a552c68dc641082395cf73955b7a496e67e4b7968e3d3154367f9ca548b7b90e82d35bdc63c5abba19a5d8cd24ac3626c55219f311afea1c3c164a891b"),
        (63, "1dd0d6ddeb881b118518c2881555f34b", "ab15090e8dbe512f3733350f9623ab11f9b5165b", "19ef8289c3413067cc707c4801bc0ee7bb513ae4f2cf4844003807c6", "bbba992d2c85af960fb2987a1fd05e0aa82a3db3c740dd8982a9e273b75e36a3", "53b8d40f91571c3156af39bd2af30bf07d9fbc59bd38d8bf2c7f320fc23aefb08c884faef23dc6d7889802d4d42d5e2e", "12a188bdf4206eb6e7e7ab95a803fd7c748ffc87bf6a6f38dad0d6365913ab9ad147954ca19dfeafec3003e5e11d55e94636d498ba158c565e55a02f7582e21b"),
        (64, "7b412e00d38c31b0845a4f502d39d5e3", "54305ee7e4c7bc5a96afc6d1994fc52d9bcb665f", "f7ebe2caa6adf802424414ed9ae3d1887a1f662b56706704edb54027", "66bd4633ed6f71c4ecfa4763bf7ba1c8ec7612de9aa6c0578a7b675207c71e0b", "5c03431a001926e1861dcac42a1d51fcabb7f957cd1fba2b78e14288d2e903c62b86c3e7106310515fd9350df7c73579", "1df51ad9960b51cd1d186dc402e9070ead3d517047225dee450a3d0a6a85c2e33759bea36f40ab8ef53360529e8a49fb83e9d9d2f03d49be1faa06c3054925f7"),
        (111, "b349d017d9b95d354fced02f92fbcbe1", "414108793894bbb9a18f912750410a0289258533", "593c0014c2405e96cce2efbb4730b39d73cbbae0647327281d0b2746", "1796402e8fc028fc1d3a61e3e4cac839872632c2d7b381cbd802d0768f5cfd13", "89c1d81d1cbc65ca869e61315165f6c3c2468b518cd03f641fac6cf9d1e857889807399d23113dc8ba27f5eac8b68ac2", "3dfde1184fd99f233f98be4250f4edb9b535157909b668334370742204d97e047f1fd6a74bb5ba447f337286f421d9af957811f7ef62a458771457da126cb65e"),
        (112, "e6d16c6ccf0b598fcf4ec660cf186b95", "17dfea8e215aefe4589a0bf3880d58ae70402c57", "2619baaa8bfaac5fda045b97292faf19a3e7be4611c39989b78a4207", "e19b57d2618b2898cb915bf2be9bf558f761faa651cd6c5f892610750714dea4", "7b412ee8bc1953a28becb4f3417b3f0ceb41b4fc74d40f3054156e7cb3220b9adf7589cb9a92bc17537873b7ce1161c8", "acc96c509e6d01787330a4c6a241e2cda9dcc2529dbe4288dbbcc3812133233c4698831127cf6ed0b333632b22715a5ce53a0a1002a684367b71c98aa6d1d900"),
        (127, "84c7b17567b70836d3b39cd28d4631b8", "776f9728c5649329e5db4bb60a25ea903925a112", "92178b1fba6677b4cd8e1845a532ebb768a434bb72aa33eb73f32027", "44480fb9672845177f5368a08b69ea263275f2a5ec42e06a933370fe0d2968a4", "714fa595ed33148c59e469ef0423462749b953698aaab1491ed101eb24b9e9a6b3a4e6d55b0ef14ee1dff02cc15ea103", "a315910cb7812a8e66d87c0c49a42d93dbe97bf0240ee995792292c529256d93f40199a59b3f6266343f302651fea1589e2040a2f3756126d3fe4f421a72079d"),
        (128, "912f49566518d1b4c883f811d86ddecc", "22485dc0d1e1d6e9e93e4a2a4667b8e979456379", "2e46e444bd988b20a60ff9c398b5241c97305ebfda69e45607dc2a0a", "e462c130fef8c97e34f7dc3ff3ad2f8b3533ab849af21c10531552a2852387a4", "147ae27db2fd5e4381c21983e753d8f761190fac65a833746ff2558abc9c3244279b8c880537ca2990aacee7bf20358e", "31f33a52b36dc2e70c83b604fa999a5cabf33bf70e4556fbed7bff10870c1b7b241dd3f15d1ade24599f068fc58ab51e0028b0f0c98895c23358e8dee032ce06"),
        (200, "b7d1717b4709c38cc0bd9311383ed3d7", "b37f67567e3e7622fa972b6b46f304bcda06097c", "8edb89dce72856ad1b70210c7238d8d73ffa7bea8996697db6aad346", "397276ea1f65a10cbd90e9d622ab533cf9fc4e14056fc9915feb8f4a52d47dc7", "bc15bdb8bb58fcb4f3aa0d4980b2af27de572045abfe61fb0599f7a4c5b449d88f8612b8ac2492837637dfc6ed4d6963", "f406d7af1ebe5b4517bf7d1c1ec07874b5df9ede1495c9450daca8ce37570bc276ba10cca3d4688108e75cee557ec24e9cc15545243d64378339351e9d12cb5e"),
    ]

    func message(_ n: Int) -> [UInt8] { (0..<n).map { UInt8(($0 * 7 + 1) % 256) } }
    func hex(_ b: [UInt8]) -> String { String(decoding: HashFunctions.hex(b), as: UTF8.self) }

    @Test(arguments: vectors.indices)
    func everyDigestMatchesTheReference(_ i: Int) {
        let (n, md5, sha1, sha224, sha256, sha384, sha512) = Self.vectors[i]
        let m = message(n)
        #expect(hex(Digest.md5(m)) == md5)
        #expect(hex(Digest.sha1(m)) == sha1)
        #expect(hex(Digest.sha256(m, bits: 224)) == sha224)
        #expect(hex(Digest.sha256(m, bits: 256)) == sha256)
        #expect(hex(Digest.sha512(m, bits: 384)) == sha384)
        #expect(hex(Digest.sha512(m, bits: 512)) == sha512)
    }

    @Test func sparkHashesOfKnownValues() {
        // Values Spark's documentation gives for hash('Spark', array(123), 2) and the same with xxhash64.
        let m = SparkMurmur3.hashInt(2, SparkMurmur3.hashInt(123, SparkMurmur3.hashBytes(Array("Spark".utf8), 42)))
        #expect(m == -1_321_691_492)
        let x = SparkXXHash64.hashInt(2, SparkXXHash64.hashInt(123, SparkXXHash64.hashBytes(Array("Spark".utf8), 42)))
        #expect(x == 5_602_566_077_635_097_486)
    }

    @Test func xxhash64TakesLongInputsInStripes() {
        // 100 bytes: three 32-byte stripes, then a 4-byte word. Spark's answer for xxhash64(repeat('abcdefghij', 10)).
        let v = SparkXXHash64.hashBytes(Array(String(repeating: "abcdefghij", count: 10).utf8), 42)
        #expect(v == -9042357696014771028)
    }

    @Test func isoWeeksAtYearEdges() {
        func day(_ y: Int, _ m: Int, _ d: Int) -> Int32 { DateTimeUtil.daysFromCivil(year: y, month: m, day: d) }
        #expect(CalendarFunctions.isoWeek(day(2021, 1, 1)) == 53)
        #expect(CalendarFunctions.isoWeek(day(2024, 12, 30)) == 1)
        #expect(CalendarFunctions.isoWeek(day(2008, 2, 20)) == 8)
        #expect(CalendarFunctions.isoWeek(day(1969, 12, 31)) == 1)
    }
}
