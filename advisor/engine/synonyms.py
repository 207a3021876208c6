"""The bilingual synonym and alias map: one concept, its Chinese and English names.

A text that mentions any alias gets the concept token, so "recommendation" in a question meets
"推荐" in an entry. Keep aliases specific: a too-general alias makes every entry look alike
(a bare "学习" would tag every machine-learning text as "learning").
English aliases match whole words (plural s allowed); Chinese aliases match as substrings.

Besides the concepts, this module holds the advisor's hint maps (pure data, no logic):
- ``ANSWER_WORDS``: the words a structured answer searches for;
- ``CONCEPT_SCENARIOS`` / ``CONCEPT_DATA_TYPES`` / ``CONCEPT_FRAMEWORKS``: what a concept in a
  free-text question says about the structured answers the user did not give;
- ``SCALE_HINTS``: words that say how big the workload is.
"""

CONCEPTS: dict[str, tuple[str, ...]] = {
    "recommendation": ("recommendation", "recommend", "recommender", "recsys", "推荐"),
    "advertising": ("advertising", "ads", "ad targeting", "广告"),
    "ctr": ("ctr", "cvr", "click-through", "click through rate", "click prediction",
            "点击率", "ctr预估", "转化率"),
    "search": ("search engine", "site search", "full-text search", "product search",
               "e-commerce search", "vector search", "image search", "similarity search",
               "retrieval", "搜索", "检索", "以图搜图"),
    "graph-database": ("graph database", "graph db", "图数据库"),
    "graph": ("graph", "graphs", "relationships", "图计算", "图数据", "图分析", "图算法",
              "图处理", "图引擎", "图查询", "关系网络", "交易图", "关系图", "资金图", "社交图",
              "图结构", "图上", "图中", "资金网络", "交易网络"),
    "gnn": ("gnn", "graph neural network", "graph learning", "graph embedding",
            "图神经网络", "图学习", "图嵌入"),
    "knowledge-graph": ("knowledge graph", "知识图谱"),
    "visualisation": ("visualization", "visualisation", "visualize", "visualise", "可视化"),
    "federated": ("federated", "联邦"),
    "privacy": ("privacy", "隐私", "数据不出域"),
    "nlp": ("nlp", "natural language", "text classification", "sentiment", "bert",
            "自然语言", "文本", "情感分析", "分词"),
    "transfer-learning": ("transfer learning", "迁移学习", "few-shot", "小样本"),
    "computer-vision": ("computer vision", "image", "images", "vision", "object detection",
                        "image classification", "视觉", "图像", "图片", "目标检测"),
    "video": ("video", "视频"),
    "face": ("face", "faces", "人脸", "人体"),
    "speech": ("speech", "voice", "asr", "tts", "语音"),
    "translation": ("translation", "translate", "machine translation", "翻译"),
    "document": ("document", "ocr", "invoice", "contract", "文档", "票据", "合同", "证件"),
    "address": ("address", "地址"),
    "llm": ("llm", "large language model", "large model", "chatgpt", "qwen", "通义",
            "大模型", "大语言模型"),
    "rag": ("rag", "retrieval augmented", "retrieval-augmented", "knowledge base", "检索增强",
            "知识库"),
    "vector": ("vector", "vectors", "embedding", "embeddings", "ann", "knn",
               "nearest neighbor", "nearest neighbour", "向量", "近邻"),
    "risk-control": ("risk control", "risk", "fraud", "anti-fraud", "money laundering", "aml",
                     "风控", "风险", "欺诈", "反洗钱"),
    "social-network": ("social network", "community detection", "社交网络", "社区发现", "社群"),
    "reinforcement-learning": ("reinforcement learning", "rl", "强化学习"),
    "dispatch": ("dispatch", "dispatching", "scheduling", "logistics", "delivery",
                 "route planning", "field service", "调度", "物流", "配送", "派单", "路径规划"),
    "optimization": ("optimization", "optimisation", "solver", "linear programming",
                     "integer programming", "milp", "mip", "优化求解", "求解器", "线性规划",
                     "整数规划", "运筹"),
    "distributed-training": ("distributed training", "data parallel", "pipeline parallel",
                             "model parallel", "parameter server", "multi-gpu",
                             "分布式训练", "数据并行", "模型并行", "流水并行"),
    "compiler": ("compiler", "compile", "dynamic shape", "编译"),
    "inference": ("inference", "serving", "latency", "deploy", "deployment", "推理", "模型部署",
                  "推理加速", "在线服务", "部署"),
    "compression": ("compression", "compress", "quantization", "quantisation", "quantize",
                    "pruning", "distillation", "压缩", "量化", "剪枝", "蒸馏"),
    "edge": ("edge device", "edge devices", "edge computing", "edge ai", "mobile",
             "on-device", "tflite", "端侧", "移动端", "边缘", "手机"),
    "streaming": ("streaming", "real-time", "realtime", "stream", "kafka",
                  "实时", "流式", "流处理"),
    "flink": ("flink",),
    "spark": ("spark",),
    "microservices": ("microservice", "service discovery", "service registry",
                      "configuration management", "config center", "spring cloud",
                      "微服务", "服务发现", "注册中心", "配置中心", "配置管理"),
    "kubernetes": ("kubernetes", "k8s", "容器"),
    "robustness": ("robust", "robustness", "adversarial", "鲁棒", "对抗"),
    "self-supervised": ("self-supervised", "自监督"),
    "sparse": ("sparse", "embedding table", "稀疏"),
    "gpu": ("gpu", "gpus", "heterogeneous", "异构"),
    "learning": ("course", "courses", "tutorial", "tutorials", "beginner", "beginners",
                 "competition", "competitions", "kaggle", "student", "students",
                 "study", "课程", "教程", "入门", "初学", "竞赛", "比赛", "学生", "自学",
                 "学习资源", "练手"),
    "self-hosted": ("self-hosted", "self hosted", "on-premise", "on-premises", "on-prem",
                    "open source", "open-source", "私有化", "自建", "开源"),
    "managed": ("managed", "fully managed", "cloud service", "saas", "serverless", "api call",
                "without running servers", "no ops", "托管", "云服务", "免运维", "不想自己运维",
                "不想运维", "不用运维"),
    "e-commerce": ("e-commerce", "ecommerce", "online shop", "retail", "电商", "零售", "淘宝"),
    "in-memory": ("in-memory", "zero-copy", "shared memory", "内存", "零拷贝"),
    "customer-service": ("customer service", "customer-service", "customer support", "chatbot",
                         "call center", "客服", "呼叫中心", "机器人", "智能问答", "对话机器人"),
    "tensorflow": ("tensorflow", "tf1", "tf2", "tf 1.15", "keras"),
    "pytorch": ("pytorch", "torch", "torchrec"),
    "java": ("java", "spring"),
    "javascript": ("javascript", "typescript", "frontend", "front-end", "前端"),
}

# Words jieba should keep whole (its default dictionary splits some of them).
DOMAIN_WORDS: tuple[str, ...] = (
    "图数据库", "图计算", "图学习", "图神经网络", "图可视化", "知识图谱", "推荐系统", "推荐算法",
    "联邦学习", "强化学习", "迁移学习", "自监督学习", "向量检索", "大模型", "分布式训练",
    "模型压缩", "动态形状", "流式计算", "流批一体", "服务发现", "配置中心", "微服务", "风控",
    "反欺诈", "点击率", "语音识别", "语音合成", "机器翻译", "文档智能", "地址标准化", "优化求解",
    "电商", "深度学习", "机器学习", "自然语言处理", "计算机视觉", "稀疏特征", "嵌入",
    "反洗钱", "求解器", "调度", "天池", "百炼", "小样本", "预训练", "机器人", "交易图", "关系图",
)

# Words whose parts mean something else: the tokenizer keeps them whole, without the
# sub-words of jieba's search mode ("机器人" is a robot, not a "机器" machine).
WHOLE_WORDS: frozenset[str] = frozenset({"机器人"})

# The words a structured answer adds to the text that is matched (a scenario or data type
# chosen without a question; every answer in the no-rules variant). They are search words,
# tuned with the evaluation set; what reasons call a term is the catalog's name for it
# (``Engine(labels=...)``), which also serves a term missing here.
ANSWER_WORDS: dict[str, tuple[str, str]] = {
    # frameworks
    "tensorflow": ("TensorFlow", "TensorFlow"),
    "pytorch": ("PyTorch", "PyTorch"),
    "flink": ("Flink", "Flink"),
    "spark": ("Spark", "Spark"),
    "java": ("Java", "Java"),
    "javascript": ("JavaScript", "JavaScript"),
    "any": ("任意框架", "any framework"),
    # data types
    "text": ("文本", "text"),
    "image": ("图像", "images"),
    "video": ("视频", "video"),
    "speech": ("语音", "speech"),
    "document": ("文档", "documents"),
    "tabular": ("表格/特征数据", "tabular data"),
    "graph": ("图数据", "graph data"),
    "stream": ("流数据", "streams"),
    "vector": ("向量", "vectors"),
    # scenarios
    "recommendation": ("推荐", "recommendation"),
    "advertising": ("广告", "advertising"),
    "search": ("搜索", "search"),
    "nlp": ("自然语言处理", "NLP"),
    "computer-vision": ("计算机视觉", "computer vision"),
    "document-processing": ("文档处理", "document processing"),
    "risk-control": ("风控", "risk control"),
    "knowledge-graph": ("知识图谱", "knowledge graphs"),
    "social-network": ("社交网络", "social networks"),
    "dispatch-logistics": ("调度与物流", "dispatch and logistics"),
    "federated-privacy": ("联邦学习与隐私", "federated learning and privacy"),
    "distributed-training": ("分布式训练", "distributed training"),
    "model-deployment": ("模型部署", "model deployment"),
    "model-compression": ("模型压缩", "model compression"),
    "streaming-analytics": ("流式分析", "streaming analytics"),
    "microservices": ("微服务", "microservices"),
    "optimization": ("优化求解", "optimisation"),
    "llm-applications": ("大模型应用", "LLM applications"),
    "learning": ("学习", "learning"),
}

# Names too common to count as a mention of the entry when found in a question.
GENERIC_NAMES: frozenset[str] = frozenset(
    {"kind", "workbench", "nlp", "pai", "search", "vision", "graph", "ai"}
)

# What a concept in the question says about the scenario (when the user chose none).
CONCEPT_SCENARIOS: dict[str, tuple[str, ...]] = {
    "recommendation": ("recommendation",),
    "ctr": ("recommendation", "advertising"),
    "advertising": ("advertising",),
    "search": ("search",),
    "knowledge-graph": ("knowledge-graph",),
    "federated": ("federated-privacy",),
    "privacy": ("federated-privacy",),
    "nlp": ("nlp",),
    "transfer-learning": ("nlp",),
    "translation": ("nlp",),
    "computer-vision": ("computer-vision",),
    "video": ("computer-vision",),
    "face": ("computer-vision",),
    "speech": ("speech",),
    "document": ("document-processing",),
    "llm": ("llm-applications",),
    "rag": ("llm-applications",),
    "risk-control": ("risk-control",),
    "social-network": ("social-network",),
    "dispatch": ("dispatch-logistics",),
    "optimization": ("optimization",),
    "distributed-training": ("distributed-training",),
    "inference": ("model-deployment",),
    "compiler": ("model-deployment",),
    "compression": ("model-compression",),
    "edge": ("model-compression",),
    "streaming": ("streaming-analytics",),
    "microservices": ("microservices",),
    "learning": ("learning",),
    "customer-service": ("nlp", "llm-applications"),
}

# Concepts that qualify a need rather than name it ("real-time dispatch" is about dispatch):
# a scenario is inferred from them only when the question names no other.
WEAK_SCENARIO_CONCEPTS: frozenset[str] = frozenset(
    {"streaming", "inference", "edge", "compiler", "video", "face", "translation",
     "transfer-learning", "privacy", "document"}
)

CONCEPT_DATA_TYPES: dict[str, tuple[str, ...]] = {
    "graph": ("graph",),
    "gnn": ("graph",),
    "graph-database": ("graph",),
    "knowledge-graph": ("graph",),
    "social-network": ("graph",),
    "nlp": ("text",),
    "translation": ("text",),
    "address": ("text",),
    "computer-vision": ("image",),
    "face": ("image",),
    "video": ("video",),
    "speech": ("speech",),
    "document": ("document",),
    "vector": ("vector",),
    "streaming": ("stream",),
    "sparse": ("tabular",),
    "ctr": ("tabular",),
}

CONCEPT_FRAMEWORKS: dict[str, str] = {
    "tensorflow": "tensorflow",
    "pytorch": "pytorch",
    "flink": "flink",
    "spark": "spark",
    "java": "java",
    "javascript": "javascript",
}

# Words that say how big the workload is (English whole words, Chinese substrings).
SCALE_HINTS: dict[str, tuple[str, ...]] = {
    "single": ("single machine", "one machine", "laptop", "small data", "prototype",
               "单机", "笔记本电脑", "小数据"),
    "cluster": ("cluster", "several machines", "multi-gpu", "a few nodes", "集群", "多机", "多卡"),
    "massive": ("billion", "billions", "massive", "huge", "trillion", "hundreds of nodes",
                "industrial scale", "web-scale", "十亿", "百亿", "千亿", "亿级", "海量", "超大规模",
                "工业级"),
}
