"""Test sentences built from the bundled bank's terms: what espeak-ng says and Whisper should hear."""

ENGLISH = (
    "Batch normalization normalizes the inputs of each layer over the mini batch.",
    "Dropout randomly turns off some neurons during training to prevent overfitting.",
    "The ReLU activation keeps positive values and sets negative values to zero.",
    "Gradient descent moves the weights against the gradient of the loss function.",
    "A validation set is used to choose the hyperparameters of the model.",
    "The sigmoid function saturates, so its gradient vanishes for large inputs.",
)
KOREAN = (
    "안녕하세요. 저는 딥러닝 엔지니어에 지원했습니다.",
    "드롭아웃은 학습 중에 뉴런의 일부를 무작위로 꺼서 과적합을 막습니다.",
    "배치 정규화는 미니배치의 평균과 분산으로 활성값을 정규화합니다.",
    "시그모이드 함수는 입력이 크면 기울기가 거의 영이 되어 기울기 소실이 생깁니다.",
    "검증 세트는 하이퍼 파라미터를 고르는 데 쓰고 테스트 세트는 마지막에 한 번만 씁니다.",
    "경사 하강법은 손실 함수의 기울기 반대 방향으로 가중치를 조금씩 옮깁니다.",
)
